// Unit tests for the tray icon's aggregate state (problem > busy > ok > idle) and the tooltip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trayIconState, trayTooltip } from '../../../electron/main/tray/tray-icon-state.js';
import type { AgentStatus } from '../../../shared/status.js';

/** A stopped agent with `over` applied. */
function agent(name: string, over: Partial<AgentStatus> = {}): AgentStatus {
  return {
    name, state: 'stopped', since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null,
    restarts: 0, lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null,
    violations: 0, stats: null, adopted: false, outputCaptured: true, conflict: null, ...over,
  };
}

test('idle with no agents or only stopped ones', () => {
  assert.equal(trayIconState([]), 'idle');
  assert.equal(trayIconState([agent('a'), agent('b')]), 'idle');
});

test('ok when something runs and nothing is busy or wrong', () => {
  assert.equal(trayIconState([agent('a', { state: 'running', health: 'healthy' }), agent('b')]), 'ok');
});

test('busy when anything is starting, stopping or in backoff, over running', () => {
  for (const state of ['starting', 'stopping', 'backoff'] as const) {
    assert.equal(trayIconState([agent('a', { state: 'running' }), agent('b', { state })]), 'busy', state);
  }
});

test('problem when anything crashed, errored, is unhealthy or a zombie, over everything else', () => {
  const others = [agent('r', { state: 'running' }), agent('s', { state: 'starting' })];
  const problems = [
    agent('p', { state: 'crashed' }),
    agent('p', { state: 'errored' }),
    agent('p', { state: 'running', health: 'unhealthy' }),
    agent('p', { state: 'running', health: 'zombie' }),
  ];
  for (const p of problems) assert.equal(trayIconState([...others, p]), 'problem', `${p.state}/${p.health}`);
});

test('tooltip counts running agents', () => {
  assert.equal(trayTooltip([]), 'Agent Tray — no agents');
  assert.equal(trayTooltip([agent('a', { state: 'running' })]), 'Agent Tray — 1 of 1 agent running');
  assert.equal(
    trayTooltip([agent('a', { state: 'running' }), agent('b', { state: 'running' }), agent('c')]),
    'Agent Tray — 2 of 3 agents running',
  );
});

test('tooltip adds crashed, errored and unhealthy counts', () => {
  const agents = [
    agent('a', { state: 'running' }),
    agent('b', { state: 'crashed' }),
    agent('c', { state: 'crashed', health: 'unhealthy' }),
    agent('d', { state: 'errored' }),
    agent('e', { state: 'running', health: 'zombie' }),
  ];
  assert.equal(trayTooltip(agents), 'Agent Tray — 2 of 5 agents running, 2 crashed, 1 errored, 1 unhealthy');
});

test('tooltip adds the GPU memory the running agents use, and says nothing of the GPU when none uses it', () => {
  const sample = (gpuMemoryMB: number | null) => ({ at: 1, cpuPercent: 1, memoryMB: 100, threads: null, fileHandles: null, processes: 1, gpuMemoryMB });
  const gpu = [
    agent('a', { state: 'running', stats: sample(1024) }),
    agent('b', { state: 'running', stats: sample(512) }),
    agent('c', { state: 'running', stats: sample(null) }),
    agent('d', { state: 'stopped', stats: sample(4096) }),
  ];
  assert.equal(trayTooltip(gpu), 'Agent Tray — 3 of 4 agents running, GPU 1.5 GB');
  assert.equal(trayTooltip([agent('a', { state: 'running', stats: sample(300.4) })]), 'Agent Tray — 1 of 1 agent running, GPU 300 MB');
  // known and unused, or not known: no GPU part
  assert.equal(trayTooltip([agent('a', { state: 'running', stats: sample(0) }), agent('b', { state: 'running', stats: sample(null) })]), 'Agent Tray — 2 of 2 agents running');
});
