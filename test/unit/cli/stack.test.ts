// The CLI's words for stacks: the dependency tree of `agent-tray graph`, "waiting for …" in
// `status`, a line per agent of a group start or stop, and the note after a stop that left
// dependents running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlCommand, dependentsNote, describeBulk } from '../../../electron/cli/control.js';
import { graphLines } from '../../../electron/cli/graph.js';
import { stateText, statusTable } from '../../../electron/cli/status.js';
import type { StackGraph } from '../../../shared/stack.js';
import type { AgentStatus } from '../../../shared/status.js';

function status(over: Partial<AgentStatus>): AgentStatus {
  return { name: 'server', state: 'stopped', since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null, restarts: 0, lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null, violations: 0, stats: null, adopted: false, outputCaptured: true, conflict: null, ...over };
}

const node = (name: string, state: AgentStatus['state']) => ({ name, state, groups: [], ready: false, health: 'unknown' as const });

test('graph: each agent nothing depends on heads the tree of what it needs, with conditions and their truth', () => {
  const graph: StackGraph = {
    nodes: [node('model', 'running'), node('setup', 'stopped'), node('server', 'running'), node('worker', 'waiting'), node('mcp', 'running')],
    edges: [
      { from: 'server', to: 'model', condition: 'healthy', met: true },
      { from: 'server', to: 'setup', condition: 'completed', met: true },
      { from: 'worker', to: 'server', condition: 'ready', met: false },
      { from: 'worker', to: 'mcp', condition: 'started', met: true },
    ],
  };
  assert.deepEqual(graphLines(graph), [
    'worker: waiting',
    '├─ server (ready, not met yet): running',
    '│  ├─ model (healthy, met): running',
    '│  └─ setup (completed, met): stopped',
    '└─ mcp (started, met): running',
  ]);
});

test('graph: agents without dependencies stand alone; a cycle that slipped through is shown once, not followed', () => {
  assert.deepEqual(graphLines({ nodes: [node('a', 'stopped'), node('b', 'running')], edges: [] }), ['a: stopped', 'b: running']);
  const looped: StackGraph = {
    nodes: [node('top', 'stopped'), node('x', 'stopped'), node('y', 'stopped')],
    edges: [
      { from: 'top', to: 'x', condition: 'started', met: false },
      { from: 'x', to: 'y', condition: 'started', met: false },
      { from: 'y', to: 'x', condition: 'started', met: false },
    ],
  };
  assert.deepEqual(graphLines(looped), ['top: stopped', '└─ x (started, not met yet): stopped', '   └─ y (started, not met yet): stopped', '      └─ x (started, not met yet): stopped (cycle)']);
});

test('status: a waiting agent says what it waits for', () => {
  const waiting = status({ state: 'waiting', waitingFor: [{ agent: 'model', condition: 'healthy' }, { agent: 'setup', condition: 'completed' }] });
  assert.equal(stateText(waiting), 'waiting for model (healthy), setup (completed)');
  assert.equal(stateText(status({ state: 'running' })), 'running');
  assert.equal(stateText(status({ state: 'waiting' })), 'waiting');
  assert.deepEqual(statusTable([status({ state: 'waiting', waitingFor: [{ agent: 'model', condition: 'healthy' }] })]), [
    'NAME    STATE                        PID  UPTIME  PORT',
    'server  waiting for model (healthy)  -    -       -',
  ]);
});

test('group start and stop: a line per agent; a failure fails the command', () => {
  const started = describeBulk('start', {
    results: [
      { name: 'model', ok: true, status: status({ name: 'model', state: 'running', pid: 7 }) },
      { name: 'server', ok: false, status: status({ state: 'errored' }), error: { code: 'not-ready', message: 'Agent "server": model crashed: CUDA out of memory' } },
    ],
  });
  assert.deepEqual(started, {
    lines: [
      { text: 'model: running (pid 7)', ok: true },
      { text: 'server: Agent "server": model crashed: CUDA out of memory', ok: false },
    ],
    ok: false,
  });
  const stopped = describeBulk('stop', { results: [{ name: 'model', ok: true, status: status({ name: 'model' }) }, { name: 'old', ok: false, status: status({ name: 'old', state: 'crashed' }) }] });
  assert.deepEqual(stopped, { lines: [{ text: 'model: stopped', ok: true }, { text: 'old: crashed', ok: true }], ok: true });
});

test('a stop that leaves dependents running says so and how to stop them too', () => {
  assert.equal(dependentsNote('model', ['server']), 'note: server depends on model and is still running; stop it too with: agent-tray stop model --with-dependents');
  assert.equal(dependentsNote('model', ['server', 'worker']), 'note: server, worker depend on model and are still running; stop them too with: agent-tray stop model --with-dependents');
});

test('--group and --with-dependents are refused where they make no sense, before any host is asked', async () => {
  const run = async (action: 'start' | 'stop' | 'restart' | 'kill', ...args: string[]) => {
    const errors: string[] = [];
    const code = await controlCommand(action, [...args, '--data-dir', '/nonexistent-agent-tray-dir'], () => undefined, (l) => errors.push(l));
    return { code, text: errors.join('\n') };
  };
  assert.match((await run('restart', '--group', 'web')).text, /--group works with start and stop only/);
  assert.equal((await run('kill', '--group', 'web')).code, 2);
  assert.match((await run('start', 'model', '--with-dependents')).text, /--with-dependents works with stop only/);
  assert.match((await run('stop', 'model', '--group', 'web')).text, /either NAME or --group GROUP/);
  assert.match((await run('stop', '--group', 'web', '--with-dependents')).text, /a group stop already stops dependents first/);
  assert.match((await run('start')).text, /missing the agent NAME\nUsage: agent-tray start \(NAME \| --group GROUP\)/);
});

test('a start that answers while the agent still waits says what for', async () => {
  const { describeStatus } = await import('../../../electron/cli/control.js');
  assert.deepEqual(describeStatus(status({ state: 'waiting', waitingFor: [{ agent: 'model', condition: 'healthy' }] })), { line: 'server: waiting for model (healthy)', ok: true });
});
