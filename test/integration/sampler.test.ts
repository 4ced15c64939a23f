// The resource sampler on real processes: tree CPU of a busy child, a leaking agent's memory,
// threads and fds, zombies, unwatch, roots that exit, sampleNow, and the pidusage backend.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { readPidusageUsage } from '../../electron/core/monitor/pidusage-usage.js';
import { Sampler, type SampleExtra, type SamplerOptions } from '../../electron/core/monitor/sampler.js';
import type { ResourceSample } from '../../shared/status.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
  killTracked();
});

interface Started {
  child: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line that matches. */
  line: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
}

/** Spawns a process in its own group (so killTracked ends its whole tree), tracked for teardown. */
function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Started {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  track(child.pid);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const f of listeners) f();
  });
  const line = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        for (const l of lines) {
          const m = pattern.exec(l);
          if (m) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(m);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a line ${pattern}; got ${JSON.stringify(lines.slice(-5))}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return { child, pid: child.pid, line };
}

/** A long-sleeping /bin/sleep. */
const sleeper = () => start('sleep', ['1000']);

interface Recorded {
  name: string;
  sample: ResourceSample;
  extra: SampleExtra;
}

/** A sampler whose callbacks are recorded, with a way to wait for a condition on them; closed after the test. */
function recordingSampler(opts: SamplerOptions = {}) {
  const got: Recorded[] = [];
  const errors: Error[] = [];
  const listeners = new Set<() => void>();
  const sampler = new Sampler({
    ...opts,
    onSample: (name, sample, extra) => {
      got.push({ name, sample, extra });
      for (const f of listeners) f();
    },
    onError: (error) => errors.push(error),
  });
  cleanups.push(() => sampler.close());
  const of = (name: string) => got.filter((r) => r.name === name);
  /** Resolves when check() holds after some callback; rejects after timeoutMs with describe()'s account. */
  const until = (check: () => boolean, timeoutMs: number, describe: () => string) =>
    new Promise<void>((resolve, reject) => {
      const test = () => {
        if (!check()) return;
        clearTimeout(timer);
        listeners.delete(test);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(test);
        reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`));
      }, timeoutMs);
      listeners.add(test);
      test();
    });
  return { sampler, got, errors, of, until };
}

test('the CPU of a busy child counts for its idle parent: tree over 50 %, the parent alone about 0 %', async () => {
  const agent = start(process.execPath, [fixture('busy-child.mjs')]);
  const childPid = Number((await agent.line(/^child pid=(\d+)$/))[1]);
  track(childPid);
  const r = recordingSampler({ intervalMs: 300 });
  r.sampler.watch('busy', agent.pid);
  r.sampler.watch('child', childPid); // the child alone, read in the same ticks: parent = tree - child

  /** The pairs of (tree, child) samples taken in the same tick, skipping each one's first reading. */
  const pairs = () =>
    r.of('busy').slice(1).flatMap((t) => {
      const c = r.of('child').find((x) => x.sample.at === t.sample.at);
      return c ? [{ tree: t, child: c }] : [];
    });
  const good = () => pairs().some((p) => p.tree.sample.cpuPercent > 50 && p.tree.sample.cpuPercent - p.child.sample.cpuPercent < 15);
  await r.until(good, 15_000, () => `tree/child CPU: ${pairs().map((p) => `${p.tree.sample.cpuPercent}/${p.child.sample.cpuPercent}`).join(', ')}`);

  const p = pairs().find((x) => x.tree.sample.cpuPercent > 50)!;
  assert.equal(p.tree.sample.processes, 2);
  assert.deepEqual([...p.tree.extra.pids].sort(), [agent.pid, childPid].sort());
  assert.deepEqual(p.tree.extra.zombiePids, []);
  // threads and open fds are numbers on Linux: two Node processes have several threads and fds each
  assert.ok(Number.isInteger(p.tree.sample.threads) && p.tree.sample.threads! >= 4, `threads ${p.tree.sample.threads}`);
  assert.ok(Number.isInteger(p.tree.sample.fileHandles) && p.tree.sample.fileHandles! >= 6, `fds ${p.tree.sample.fileHandles}`);
  assert.ok(p.tree.sample.memoryMB > p.child.sample.memoryMB && p.child.sample.memoryMB > 10);
  assert.deepEqual(r.errors, []);
});

test("a leaking agent's memory grows across samples", async () => {
  const agent = start(process.execPath, [fixture('leaker.mjs')], { STEP_MB: '10', STEP_MS: '100', CAP_MB: '200' });
  await agent.line(/^allocated \d+ MB$/);
  const r = recordingSampler({ intervalMs: 200 });
  r.sampler.watch('leaker', agent.pid);
  const mem = () => r.of('leaker').map((x) => x.sample.memoryMB);
  await r.until(() => mem().length >= 3 && mem().at(-1)! >= mem()[0]! + 60, 15_000, () => `memory ${mem().join(', ')} MB`);
  const m = mem();
  assert.ok(m.every((v, i) => i === 0 || v >= m[i - 1]! - 2), `memory never falls: ${m.join(', ')}`);
  assert.deepEqual(r.sampler.history('leaker').map((s) => s.memoryMB), m, 'the history holds the same samples');
});

test('a zombie in the tree is reported apart and not counted', async () => {
  // sh forks `true` and then becomes sleep, which never reaps it: a zombie child of a live root
  const agent = start('sh', ['-c', 'true & exec sleep 1000']);
  const r = recordingSampler({ intervalMs: 100 });
  r.sampler.watch('z', agent.pid);
  await r.until(() => r.of('z').some((x) => x.extra.zombiePids.length === 1), 10_000, () => JSON.stringify(r.of('z').at(-1)?.extra));
  const last = r.of('z').find((x) => x.extra.zombiePids.length === 1)!;
  assert.deepEqual(last.extra.pids, [agent.pid]);
  assert.equal(last.sample.processes, 1);
});

test('unwatch stops the callbacks of that agent only; its history stays until the next watch', async () => {
  const a = sleeper();
  const b = sleeper();
  const r = recordingSampler({ intervalMs: 100 });
  r.sampler.watch('a', a.pid);
  r.sampler.watch('b', b.pid);
  await r.until(() => r.of('a').length >= 1 && r.of('b').length >= 1, 10_000, () => `${r.got.length} samples`);
  r.sampler.unwatch('a');
  const aCount = r.of('a').length;
  const bCount = r.of('b').length;
  await r.until(() => r.of('b').length >= bCount + 3, 10_000, () => `${r.of('b').length} samples of b`);
  assert.equal(r.of('a').length, aCount, 'no callback for a after unwatch');
  assert.equal(r.sampler.isWatching('a'), false);
  assert.equal(r.sampler.isWatching('b'), true);
  assert.equal(r.sampler.history('a').length, aCount);
  assert.deepEqual(r.sampler.latest('a'), r.of('a').at(-1)?.sample);
  r.sampler.watch('a', a.pid);
  assert.deepEqual(r.sampler.history('a'), [], 'a new watch starts a new history');
  assert.equal(r.sampler.latest('a'), null);
});

test('a watched root that exits leaves the poll list without an error or a callback', async () => {
  const s = sleeper();
  const r = recordingSampler({ intervalMs: 100 });
  r.sampler.watch('short', s.pid);
  await r.until(() => r.of('short').length >= 1, 10_000, () => 'a first sample');
  const exited = once(s.child, 'exit');
  process.kill(s.pid, 'SIGKILL');
  await exited; // reaped by Node: gone from /proc
  const count = r.of('short').length;
  await r.sampler.sampleNow();
  await waitFor(() => !r.sampler.isWatching('short'), 5_000, 'the root to leave the poll list');
  await r.sampler.sampleNow();
  assert.equal(r.of('short').length, count, 'no callback after the exit');
  assert.ok(r.sampler.latest('short'), 'the last sample stays readable');
  assert.deepEqual(r.errors, []);
});

test('sampleNow takes one sample per call, serialised; the history is a bounded ring; since filters', async () => {
  const s = sleeper();
  const r = recordingSampler({ intervalMs: 100, historyMs: 1000 }); // 10 samples kept
  r.sampler.setIntervalMs(60_000); // the timer stays out of the way
  r.sampler.watch('s', s.pid);
  assert.equal(r.sampler.latest('s'), null);
  await r.sampler.sampleNow();
  const first = r.sampler.latest('s');
  assert.ok(first);
  assert.equal(first.processes, 1);
  assert.equal(first.threads, 1, '/bin/sleep has one thread');
  assert.ok(first.fileHandles !== null && first.fileHandles >= 3);
  assert.ok(first.memoryMB >= 0 && first.memoryMB < 50, `sleep uses ${first.memoryMB} MB`); // 0 right after exec
  await Promise.all([r.sampler.sampleNow(), r.sampler.sampleNow(), r.sampler.sampleNow()]);
  assert.equal(r.sampler.history('s').length, 4);
  for (let i = 0; i < 10; i++) await r.sampler.sampleNow();
  const h = r.sampler.history('s');
  assert.equal(h.length, 10, 'bounded to historyMs / intervalMs');
  assert.ok(h.every((x, i) => i === 0 || x.at >= h[i - 1]!.at), 'oldest first');
  assert.ok(h.at(-1)!.memoryMB > 0, 'a running sleep has some resident memory');
  assert.deepEqual(r.sampler.history('s', h[6]!.at - 1).length >= 3, true);
  assert.ok(r.sampler.history('s', h.at(-1)!.at).length === 0, 'since is exclusive');
  assert.equal(r.got.length, 14);
  assert.deepEqual(r.sampler.history('nobody'), []);
});

test('a sampler for Windows reads roots only, through pidusage (run here on Linux)', async () => {
  const agent = start(process.execPath, [fixture('busy-child.mjs')]);
  track(Number((await agent.line(/^child pid=(\d+)$/))[1]));
  const r = recordingSampler({ platform: 'win32', intervalMs: 500 });
  r.sampler.watch('w', agent.pid);
  await r.sampler.sampleNow();
  const s = r.sampler.latest('w');
  assert.ok(s);
  assert.equal(s.processes, 1, 'the root only');
  assert.equal(s.threads, null);
  assert.equal(s.fileHandles, null);
  assert.ok(s.memoryMB > 10);
  assert.throws(() => r.sampler.setIntervalMs(0), /positive/);
});

test('pidusage-usage gives sane numbers for a real tree: first reading 0 % CPU, then the busy child', async () => {
  const agent = start(process.execPath, [fixture('busy-child.mjs')]);
  const childPid = Number((await agent.line(/^child pid=(\d+)$/))[1]);
  track(childPid);
  const roots = [{ pid: agent.pid, identity: null }];
  const [first] = await readPidusageUsage(roots, 'linux');
  assert.ok(first);
  assert.equal(first.cpuPercent, 0, "pidusage's first reading of a pid is 0 %");
  assert.equal(first.processes, 2, 'root and child, from the process table');
  assert.deepEqual([...first.pids].sort(), [agent.pid, childPid].sort());
  assert.ok(first.memoryMB > 20, `memory ${first.memoryMB} MB`);
  assert.equal(first.threads, null);
  assert.equal(first.fileHandles, null);
  assert.ok(first.identity !== null && Math.abs(first.identity - Date.now()) < 60_000, 'identity is the creation time');

  let last = first;
  await waitFor(
    async () => {
      const [u] = await readPidusageUsage([{ pid: agent.pid, identity: first.identity }], 'linux');
      if (u) last = u;
      return (u?.cpuPercent ?? 0) > 50;
    },
    15_000,
    'a pidusage reading over 50 % CPU',
    300,
  ).catch((error: Error) => assert.fail(`${error.message}; last reading ${JSON.stringify(last)}`));

  // a dead pid is simply missing, alone or in a batch
  const gone = sleeper();
  const exited = once(gone.child, 'exit');
  process.kill(gone.pid, 'SIGKILL');
  await exited;
  assert.deepEqual(await readPidusageUsage([{ pid: gone.pid, identity: null }], 'linux'), [null]);
  const both = await readPidusageUsage([{ pid: gone.pid, identity: null }, { pid: agent.pid, identity: null }], 'linux');
  assert.equal(both[0], null);
  assert.equal(both[1]?.processes, 2);
  assert.deepEqual(await readPidusageUsage([{ pid: gone.pid, identity: null }], 'win32'), [null]);
  assert.deepEqual(await readPidusageUsage([], 'linux'), []);
  // a recycled pid (another creation time) counts as gone
  assert.deepEqual(await readPidusageUsage([{ pid: agent.pid, identity: first.identity! - 3_600_000 }], 'linux'), [null]);
});
