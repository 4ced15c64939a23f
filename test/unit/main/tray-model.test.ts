// Unit tests for the tray's model and controller on a fake clock: events → agents, renders
// throttled and skipped when nothing visible changed, the backoff countdown ticking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrayAgents, TrayController, type TrayView } from '../../../electron/main/tray/tray-model.js';
import type { HostEvent } from '../../../shared/events.js';
import type { AgentStatus } from '../../../shared/status.js';
import { fakeTimers } from '../../helpers/fake-timers.js';

function agent(name: string, over: Partial<AgentStatus> = {}): AgentStatus {
  return {
    name, state: 'stopped', since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null,
    restarts: 0, lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null,
    violations: 0, stats: null, adopted: false, outputCaptured: true, conflict: null, ...over,
  };
}

const state = (a: AgentStatus): HostEvent => ({ type: 'state', name: a.name, from: 'stopped', to: a.state, reason: { kind: 'user', message: 'test' } as never, at: 0, status: a });

function setup() {
  const clock = fakeTimers();
  const views: TrayView[] = [];
  const settings = { startAtLogin: false };
  const controller = new TrayController({ render: (v) => views.push(v), settings: () => settings, minIntervalMs: 250, timers: clock });
  return { clock, views, settings, controller };
}

test('the model follows snapshot, state, add, update, health and remove events, ignoring logs and stats', () => {
  const m = new TrayAgents();
  assert.equal(m.apply({ type: 'snapshot', at: 0, agents: [agent('a'), agent('b')] }), true);
  assert.equal(m.apply(state(agent('a', { state: 'running', pid: 5 }))), true);
  assert.equal(m.apply({ type: 'agent-added', name: 'c', status: agent('c') }), true);
  assert.equal(m.apply({ type: 'health-changed', name: 'a', from: 'healthy', to: 'unhealthy', score: 20, probe: null, at: 0 }), true);
  assert.equal(m.apply({ type: 'agent-removed', name: 'b' }), true);
  assert.equal(m.apply({ type: 'agent-removed', name: 'nobody' }), false);
  assert.equal(m.apply({ type: 'log', name: 'a', lines: [] }), false);
  assert.equal(m.apply({ type: 'health-changed', name: 'nobody', from: 'healthy', to: 'unhealthy', score: 0, probe: null, at: 0 }), false);
  assert.deepEqual(m.list().map((a) => [a.name, a.state, a.health, a.healthScore]), [['a', 'running', 'unhealthy', 20], ['c', 'stopped', 'unknown', 100]]);
});

test('the first event renders at once with icon and tooltip; a burst renders once more at the end', () => {
  const { clock, views, controller } = setup();
  controller.observe({ type: 'snapshot', at: 0, agents: [agent('a'), agent('b')] });
  assert.equal(views.length, 1);
  assert.equal(views[0]?.icon, 'idle');
  assert.match(views[0]?.tooltip ?? '', /0 of 2 agents running/);
  for (let i = 0; i < 50; i++) controller.observe(state(agent(i % 2 ? 'a' : 'b', { state: i % 3 ? 'running' : 'starting' })));
  controller.observe(state(agent('b', { state: 'running' })));
  assert.equal(views.length, 1, 'the burst waits for the interval');
  clock.advance(250);
  assert.equal(views.length, 2);
  const last = views.at(-1)!;
  assert.equal(last.icon, 'ok');
  assert.match(last.tooltip, /2 of 2 agents running/);
  assert.equal(last.template.find((i) => i.label === 'a')?.checked, true);
});

test('events that change nothing visible do not render again', () => {
  const { clock, views, controller } = setup();
  controller.observe({ type: 'snapshot', at: 0, agents: [agent('a', { state: 'running' })] });
  clock.advance(1000);
  controller.observe({ type: 'agent-updated', name: 'a', status: agent('a', { state: 'running' }) });
  controller.observe({ type: 'stats', name: 'a', sample: {} as never });
  clock.advance(1000);
  assert.equal(views.length, 1);
});

test('a crashed agent turns the icon to problem and puts its error in the menu', () => {
  const { clock, views, controller } = setup();
  controller.observe({ type: 'snapshot', at: 0, agents: [agent('a', { state: 'running' })] });
  clock.advance(300);
  controller.observe(state(agent('a', { state: 'crashed', lastError: { message: 'a exited with code 1: boom', at: 0 } as never })));
  assert.equal(controller.icon, 'problem');
  const sub = views.at(-1)!.template.find((i) => i.type === 'submenu' && i.label === 'a');
  assert.ok(sub?.submenu?.some((i) => /boom/.test(i.label)));
});

test('a settings change renders the start-at-login checkbox again', () => {
  const { clock, views, controller, settings } = setup();
  controller.observe({ type: 'snapshot', at: 0, agents: [] });
  settings.startAtLogin = true;
  clock.advance(300);
  controller.refresh();
  assert.equal(views.at(-1)?.template.find((i) => i.label === 'Start at login')?.checked, true);
});

test('an agent in backoff counts down once a second, and the ticking stops when it leaves backoff', () => {
  const { clock, views, controller } = setup();
  const due = clock.now() + 3_000;
  controller.observe({ type: 'snapshot', at: 0, agents: [agent('a', { state: 'backoff', nextAttemptAt: due })] });
  assert.equal(views.at(-1)?.template[0]?.label, 'a — retrying in 3 s');
  clock.advance(1_000);
  assert.equal(views.at(-1)?.template[0]?.label, 'a — retrying in 2 s');
  clock.advance(1_000);
  assert.equal(views.at(-1)?.template[0]?.label, 'a — retrying in 1 s');
  controller.observe(state(agent('a', { state: 'running' })));
  clock.advance(5_000);
  const rendered = views.length;
  clock.advance(5_000);
  assert.equal(views.length, rendered, 'no more renders once nothing counts down');
  assert.equal(clock.pending(), 0);
  controller.dispose();
});
