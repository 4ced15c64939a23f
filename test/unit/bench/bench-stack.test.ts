// The stack scenario's pure part (bench/lib/stack.mjs): the chains it builds, each agent needing
// the one before it by name, by its ready file and by its marker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- bench/ is plain JavaScript (ESM) without type declarations
import { runsStacks, stackAgents } from '../../../bench/lib/stack.mjs';

interface StackAgent {
  name: string;
  args: string[];
  env: Record<string, string>;
  dependsOn: string[];
  readyLine: string;
}

test('stackAgents: chains × depth agents, level 0 free, each later level needing the one before it (name and ready file)', () => {
  const agents = stackAgents('run1', '/tmp/x', { chains: 2, depth: 3, readyMs: 50 }) as StackAgent[];
  assert.deepEqual(agents.map((a) => `${a.name}<${a.dependsOn.join(',')}`), ['c0l0<', 'c0l1<c0l0', 'c0l2<c0l1', 'c1l0<', 'c1l1<c1l0', 'c1l2<c1l1']);
  const c1l2 = agents.find((a) => a.name === 'c1l2')!;
  assert.deepEqual(c1l2.args, ['run1', 'c1l2']);
  assert.equal(c1l2.env.AGENT_TRAY_BENCH, 'run1:c1l2');
  assert.equal(c1l2.env.READY_MS, '50');
  assert.equal(c1l2.env.READY_FILE, '/tmp/x/c1l2.ready');
  assert.equal(c1l2.env.NEEDS, '/tmp/x/c1l1.ready');
  assert.equal(agents[0]!.env.NEEDS, undefined);
  assert.ok(new RegExp(c1l2.readyLine).test('ready c1l2 run1'));
});

test('runsStacks: the floor and Agent Tray drive dependencies; PM2 and supervisord are skipped', () => {
  assert.deepEqual(['floor', 'agent-tray', 'pm2', 'supervisord'].map(runsStacks), [true, true, false, false]);
});
