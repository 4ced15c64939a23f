// Output on real processes: a 50 MB flood arrives whole in the log file while the ring keeps the
// last 1,000 lines; rotation keeps the agent writing; a chatty agent outlives a SIGKILLed manager.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, statSync, readFileSync, readdirSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { EngineEvent } from '../../shared/status.js';
import { tempDir } from '../helpers/temp-dir.js';
import { Engine } from '../../electron/core/engine.js';
import { discoverAgents } from '../../electron/core/discovery.js';
import { engineWith as makeEngine, hasLine, isState } from '../helpers/engine.js';
import { waitFor, waitForEvent } from '../helpers/wait.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const engineWith = (agents: AgentDefinitionInput[], logs: { maxBytes?: number; keep?: number }) => makeEngine(cleanups, agents, logs);

/** The heap in use after a full garbage collection (gc exposed at run time for this measurement). */
function retainedHeap(): number {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

test('a 50 MB flood arrives whole in the log file; the ring keeps the last 1,000 lines', { timeout: 120_000 }, async () => {
  const engine = await engineWith([{ name: 'flood', command: process.execPath, args: [fixture('flooder.mjs')], env: { SIZE_MB: '50' } }], { maxBytes: 0 });
  let liveLines = 0;
  let skipped = 0;
  engine.subscribe((e: EngineEvent) => {
    if (e.type !== 'log' || e.name !== 'flood') return;
    for (const l of e.lines) {
      if (l.stream !== 'stdout') continue;
      if (l.text.startsWith('[agent-tray] output too fast')) skipped++;
      else liveLines++;
    }
  });
  const done = waitForEvent(engine, (e) => e.type === 'state' && e.name === 'flood' && e.to === 'stopped', 100_000, 'the flooder to finish');
  const heapBefore = retainedHeap();
  const { pid } = await engine.start('flood');
  track(pid);
  await done;
  const lineCount = Math.floor((50 * 1024 * 1024) / 100);
  const file = `${engine.paths.logs}/flood.out.log`;
  assert.equal(statSync(file).size, lineCount * 100, 'every byte is in the log file');

  // every line, in order, none missing
  let expected = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    assert.equal(line.slice(0, 13), `line ${String(expected).padStart(8, '0')}`);
    expected++;
  }
  assert.equal(expected, lineCount);

  const ring = engine.logs('flood', 'stdout');
  assert.equal(ring.length, 1000);
  assert.match(ring.at(-1)!.text, new RegExp(`^line ${String(lineCount - 1).padStart(8, '0')} `));
  assert.match(ring[0]!.text, new RegExp(`^line ${String(lineCount - 1000).padStart(8, '0')} `));
  assert.ok(liveLines + skipped > 0);
  assert.deepEqual(engine.logs('flood', 'stderr').map((l) => l.text), [`wrote ${lineCount} lines`]);
  // what the manager keeps, not the garbage this test made reading the file: measured after a full GC
  const heapGrowthMb = (retainedHeap() - heapBefore) / 1024 / 1024;
  assert.ok(heapGrowthMb < 40, `the manager's heap retains ${heapGrowthMb.toFixed(1)} MB more after a 50 MB flood`);
});

test('rotation keeps a few old files and the agent keeps writing to the live one', async () => {
  const engine = await engineWith(
    [{ name: 'chatty', command: process.execPath, args: [fixture('chatty.mjs')], env: { INTERVAL_MS: '2' } }],
    { maxBytes: 4_000, keep: 2 },
  );
  const { pid } = await engine.start('chatty');
  track(pid);
  const file = `${engine.paths.logs}/chatty.out.log`;
  await waitFor(() => existsSync(`${file}.2`), 20_000, 'a second rotation');
  await waitFor(() => existsSync(file) && statSync(file).size > 0, 5_000, 'new lines in the live file');
  assert.equal(existsSync(`${file}.3`), false, 'no more than `keep` rotated files');
  const rotated = readFileSync(`${file}.1`, 'utf8');
  assert.ok(rotated.length >= 4_000, 'the rotated file holds what the live file had');
  const firstLive = readFileSync(file, 'utf8').split('\n')[0] ?? '';
  assert.ok(!firstLive.startsWith('\0'), 'after truncation the agent appends at the start, not after a hole');
  await engine.stop('chatty');
  const ring = engine.logs('chatty', 'stdout').map((l) => l.text);
  const numbers = ring.filter((t) => t.startsWith('line ')).map((t) => Number(t.slice(5)));
  assert.ok(numbers.length > 100);
  assert.ok(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!), 'lines stay in order across rotations');
});

test('a chatty agent keeps running and logging after its manager is SIGKILLed', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const host = spawn(process.execPath, ['--import', 'tsx', new URL('../fixtures/hosts/engine-host.ts', import.meta.url).pathname, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(host.pid);
  const agentPid = await new Promise<number>((resolve, reject) => {
    let buf = '';
    host.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /started (\{.*\})\n/.exec(buf);
      if (m) resolve((JSON.parse(m[1]!) as { pid: number }).pid);
    });
    host.once('exit', (code) => reject(new Error(`the host exited early with ${code}`)));
  });
  track(agentPid);
  const log = `${dir}/logs/chatty.out.log`;
  await waitFor(() => existsSync(log) && statSync(log).size > 0, 10_000, 'the agent\'s first lines');

  const hostExit = new Promise((resolve) => host.once('exit', resolve));
  process.kill(host.pid!, 'SIGKILL');
  await hostExit;
  const sizeAtKill = statSync(log).size;
  await waitFor(() => statSync(log).size > sizeAtKill + 1_000, 10_000, 'the agent to keep writing after its manager died');
  assert.ok(alive(agentPid), 'the agent is alive');
  const pidRecord = JSON.parse(readFileSync(`${dir}/run/chatty.pid`, 'utf8')) as { pid: number };
  assert.equal(pidRecord.pid, agentPid, 'the PID file still names the agent for the next session');
});

test('an agent taken back by a new engine shows the lines it wrote before, then the new ones, none twice', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const agents: AgentDefinitionInput[] = [{ name: 'chatty', command: process.execPath, args: [fixture('chatty.mjs')], env: { INTERVAL_MS: '5' } }];
  const first = new Engine({ dataDir: dir });
  first.setDefinitions(agents);
  const { pid } = await first.start('chatty');
  track(pid);
  await waitForEvent(first, hasLine('chatty', /^line 50$/), 10_000, 'line 50');
  await first.close(); // the agent lives on, as after a host restart

  const second = new Engine({ dataDir: dir });
  cleanups.push(() => second.close({ stopAgents: true }));
  second.setDefinitions(agents);
  const [result] = await discoverAgents(second);
  assert.equal(result?.outcome, 'adopted');
  const history = second.logs('chatty', 'stdout').map((l) => l.text);
  assert.equal(history[0], `ready pid=${pid}`, 'from the first line written before the restart');
  assert.ok(history.includes('line 50'));
  const adoptedAt = Date.now();
  assert.ok(second.logs('chatty').every((l) => l.at <= adoptedAt), 'history is not newer than the adoption');

  await waitForEvent(second, hasLine('chatty', /^line \d+$/), 10_000, 'a new line through the new engine');
  await second.stop('chatty');
  const numbers = second.logs('chatty', 'stdout').slice(1).map((l) => Number(l.text.slice(5)));
  assert.ok(numbers.length > 50);
  assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => i + 1), 'every line once, in order, across the restart');
});

test('stdout and stderr lines are merged in the order they were read', async () => {
  const engine = await engineWith([{ name: 'alt', command: process.execPath, args: [fixture('alternator.mjs')], env: { COUNT: '100', INTERVAL_MS: '20' } }], {});
  const read: string[] = [];
  engine.subscribe((e) => {
    if (e.type === 'log' && e.name === 'alt') read.push(...e.lines.map((l) => l.text));
  });
  const done = waitForEvent(engine, isState('alt', 'stopped'), 20_000, 'the alternator to finish');
  track((await engine.start('alt')).pid);
  await done;
  const merged = engine.logs('alt', 'both').map((l) => l.text);
  assert.equal(merged.length, 100);
  assert.deepEqual(merged, read, 'the merged view is the order the lines were read in');
  assert.deepEqual(engine.logs('alt', 'both', 10).map((l) => l.text), read.slice(-10));
  // every line once; the order across the two files is the order of reading, which is the order of
  // writing only when the host reads faster than 20 ms apart (not asserted: a busy machine starves it)
  assert.deepEqual([...merged].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))), Array.from({ length: 100 }, (_, i) => `n ${i + 1}`));
});

test('under a flood at full speed the log rotates as it grows and keeps nearly all of it', { timeout: 120_000 }, async () => {
  const maxBytes = 1024 * 1024;
  const engine = await engineWith([{ name: 'flood', command: process.execPath, args: [fixture('flooder.mjs')], env: { SIZE_MB: '64' } }], { maxBytes, keep: 100 });
  const done = waitForEvent(engine, isState('flood', 'stopped'), 100_000, 'the flooder to finish');
  track((await engine.start('flood')).pid);
  await done;
  const dir = engine.paths.logs;
  const copies = readdirSync(dir).filter((f) => /^flood\.out\.log\.\d+$/.test(f));
  const sizes = copies.map((f) => statSync(`${dir}/${f}`).size).sort((a, b) => a - b);
  const kept = sizes.reduce((a, b) => a + b, 0) + statSync(`${dir}/flood.out.log`).size;
  const written = Math.floor((64 * 1024 * 1024) / 100) * 100;
  const write = 1000 * 100; // the flooder writes 1,000 lines of 100 bytes at a time
  const report = `${copies.length} rotations, sizes ${sizes[0]}…${sizes.at(-1)} bytes (median ${sizes[sizes.length >> 1]}), ${written - kept} bytes lost`;
  assert.ok(copies.length >= 5, report);
  // on an idle machine only a write that lands between the rotation's last look at the size and the truncation
  // is lost (about one write per rotation); a host starved of the processor while the writer runs on the other
  // core loses more (2.4 MB of 64 MB seen in a loaded CI run), so the bound here is loose: a tenth of the flood
  // (classic copytruncate lost 1.6–25 MB). The exact bound is the deterministic unit test in log-follower.test.ts.
  assert.ok(kept <= written && kept >= written - Math.max(copies.length * write, written / 10), report);
  // how far a copy overshoots is what the agent writes while the host notices and copies: most copies stay
  // within a few MB of the limit
  assert.ok(sizes[sizes.length >> 1]! <= maxBytes + 4 * 1024 * 1024, report);
});
