// Supervision in the engine on real processes: a crash loop runs out its budget with growing
// backoff, a person's stop cancels a pending restart, the concurrency limit, the priority.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine } from '../../electron/core/engine.js';
import { AgentTrayError } from '../../electron/core/errors.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { EngineEvent } from '../../shared/status.js';
import { tempDir } from '../helpers/temp-dir.js';
import { hasLine, isState } from '../helpers/engine.js';
import { waitForEvent } from '../helpers/wait.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function engineWith(agents: AgentDefinitionInput[], extra: { maxConcurrent?: number } = {}): Promise<Engine> {
  const { dir, cleanup } = await tempDir();
  const engine = new Engine({ dataDir: dir, random: () => 0.5, ...extra });
  engine.setDefinitions(agents);
  cleanups.push(cleanup, () => engine.close());
  return engine;
}

const node = (name: string, script: string, extra: Partial<AgentDefinitionInput> = {}): AgentDefinitionInput => ({ name, command: process.execPath, args: [fixture(script)], ...extra });

test('a crash loop runs out its budget inside the window and ends crashed; the backoff grows between attempts', async () => {
  const engine = await engineWith([node('loop', 'crasher.mjs', { restart: { policy: 'on-failure', maxRestarts: 3, windowMs: 60_000, backoff: { initialMs: 100, factor: 2, maxMs: 5_000 } } })]);
  const events: Extract<EngineEvent, { type: 'state' }>[] = [];
  engine.subscribe((e) => {
    if (e.type === 'state') events.push(e);
  });
  const gaveUp = waitForEvent(engine, (e) => e.type === 'state' && e.name === 'loop' && e.to === 'crashed', 20_000, 'the crash loop to give up');
  await engine.start('loop');
  const final = await gaveUp;
  assert.equal(final.type === 'state' && final.reason.kind, 'policy');
  assert.match(final.type === 'state' ? final.reason.message : '', /gave up after 3 restarts within 60 s/);

  // measured from events: each wait from `backoff` to the next `starting` is longer than the last
  const waits: number[] = [];
  events.forEach((e, i) => {
    if (e.to !== 'backoff') return;
    const next = events.slice(i + 1).find((n) => n.to === 'starting');
    assert.ok(next, 'every backoff is followed by a start');
    waits.push(next.at - e.at);
    assert.ok(e.status.nextAttemptAt && Math.abs(e.status.nextAttemptAt - (e.at + [100, 200, 400][waits.length - 1]!)) < 50, 'the status says when the next attempt is due');
  });
  assert.equal(waits.length, 3);
  assert.ok(waits[0]! >= 90 && waits[1]! >= 190 && waits[2]! >= 390, waits.join(', '));
  assert.ok(waits[0]! < waits[1]! && waits[1]! < waits[2]!, `growing: ${waits.join(', ')}`);

  const status = engine.status('loop');
  assert.equal(status.state, 'crashed');
  assert.equal(status.restarts, 3);
  assert.equal(status.exitCode, 1);
  assert.match(status.lastError?.message ?? '', /boom: OPENAI_API_KEY is not set \(gave up after 3 restarts/);
  assert.deepEqual(events.filter((e) => e.lifecycle).map((e) => e.lifecycle), ['started', 'crashed', 'restarted', 'crashed', 'restarted', 'crashed', 'restarted', 'crashed']);

  // a person starting it again gets a fresh budget
  const again = waitForEvent(engine, isState('loop', 'backoff'), 5_000, 'the first backoff of the new run');
  await engine.start('loop');
  await again;
  assert.equal(engine.status('loop').restarts, 0);
  await engine.stop('loop');
});

test('a stop during backoff cancels the pending restart and never counts as a crash', async () => {
  const engine = await engineWith([node('loop', 'crasher.mjs', { restart: { backoff: { initialMs: 60_000 } } })]);
  const inBackoff = waitForEvent(engine, isState('loop', 'backoff'), 5_000, 'backoff');
  await engine.start('loop');
  await inBackoff;
  const result = await engine.stop('loop');
  assert.equal(result.outcome, 'not-running');
  const status = engine.status('loop');
  assert.equal(status.state, 'stopped');
  assert.equal(status.nextAttemptAt, null);
});

test('policy always restarts a clean exit; policy no leaves it', async () => {
  const oneshot = (name: string, policy: 'always' | 'no') => ({ name, command: process.execPath, args: ['-e', 'console.log("done")'], restart: { policy, backoff: { initialMs: 50 } } });
  const engine = await engineWith([oneshot('always', 'always'), oneshot('never', 'no')]);
  const restarted = waitForEvent(engine, (e) => e.type === 'state' && e.name === 'always' && e.lifecycle === 'restarted', 5_000, 'a restart after a clean exit');
  const stopped = waitForEvent(engine, isState('never', 'stopped'), 5_000, 'the one-shot to stop');
  await Promise.all([engine.start('always'), engine.start('never')]);
  await Promise.all([restarted, stopped]);
  assert.equal(engine.status('never').restarts, 0);
  await engine.stop('always');
});

test('the concurrency limit refuses the third agent, naming the limit and the running ones, and admits it after one stops', async () => {
  const engine = await engineWith([node('a', 'well-behaved.mjs'), node('b', 'well-behaved.mjs'), node('c', 'well-behaved.mjs')], { maxConcurrent: 2 });
  const a = await engine.start('a');
  const b = await engine.start('b');
  track(a.pid, b.pid);
  await assert.rejects(engine.start('c'), (err: AgentTrayError) => {
    assert.equal(err.code, 'conflict');
    assert.match(err.message, new RegExp(`Cannot start "c": the concurrency limit of 2 agents is reached \\(running: a \\(pid ${a.pid}\\), b \\(pid ${b.pid}\\)\\)`));
    assert.match(err.message, /raise maxConcurrent/);
    return true;
  });
  assert.equal(engine.status('c').state, 'stopped', 'a refused start changes nothing');
  const again = await engine.restart('a'); // a restart of a running agent never counts twice
  track(again.pid);
  assert.equal(again.state, 'running');
  await engine.stop('b');
  const c = await engine.start('c');
  track(c.pid);
  assert.equal(c.state, 'running');
  assert.deepEqual(engine.setMaxConcurrent(5), { oldLimit: 2, newLimit: 5 });
  assert.equal(engine.activeAgents().length, 2);
  await Promise.all([engine.stop('a'), engine.stop('c')]);
});

test('priority low lowers the operating system priority of the agent (nice 10 on POSIX)', { skip: process.platform === 'win32' ? 'reads /proc' : false }, async () => {
  const engine = await engineWith([node('bg', 'well-behaved.mjs', { priority: 'low' }), node('fg', 'well-behaved.mjs')]);
  const ready = waitForEvent(engine, hasLine('bg', /^ready/), 5_000, 'ready');
  const bg = await engine.start('bg');
  const fg = await engine.start('fg');
  track(bg.pid, fg.pid);
  await ready;
  const nice = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
  assert.equal(nice(bg.pid!), 10);
  assert.equal(nice(fg.pid!), nice(process.pid));
  await Promise.all([engine.stop('bg'), engine.stop('fg')]);
  assert.equal(alive(bg.pid!), false);
});
