// What the window shows of an orphan before a person stops it: GET /api/orphans (listOrphans) gives
// each one's start time and its tree's memory, read from the real process; stopping and cleaning up
// are unchanged.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import { describeOrphans } from '../../electron/core/orphan-facts.js';
import { testDataDirs } from '../helpers/data-dirs.js';
import { alive, fixture, track } from '../helpers/processes.js';

const dirs = testDataDirs();
const { cleanups, dataDir } = dirs;
afterEach(() => dirs.afterEach());

const node = (name: string) => ({ name, command: process.execPath, args: [fixture('well-behaved.mjs')] });

test('an orphan is listed with when it started and its memory; Stop ends it', { skip: process.platform !== 'linux' ? 'memory is read through /proc here (macOS: ps and pidusage)' : false }, async () => {
  const dir = await dataDir([node('gone'), node('kept')]);
  const first = await AgentTrayApp.open({ dataDir: dir, watch: false });
  const before = Date.now();
  const gone = await first.dispatch('startAgent', { name: 'gone' });
  track(gone.pid);
  await first.close();
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents: [node('kept')] }));
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
  cleanups.push(() => app.close());

  const { orphans } = await app.dispatch('listOrphans', {});
  assert.equal(orphans.length, 1);
  const [o] = orphans;
  assert.equal(o?.pid, gone.pid);
  // /proc's start time has a clock tick's grain and the boot time a second's
  assert.ok(o?.startedAt && o.startedAt >= before - 1_500 && o.startedAt <= Date.now(), `startedAt ${o?.startedAt} is when it started (${before})`);
  assert.ok(o?.memoryMB && o.memoryMB > 5 && o.memoryMB < 2_000, `a node process holds some MB, got ${o?.memoryMB}`);

  const { stopped } = await app.dispatch('stopOrphan', { pid: gone.pid! });
  assert.equal(stopped.pid, gone.pid);
  assert.equal(alive(gone.pid!), false);
  assert.deepEqual((await app.dispatch('listOrphans', {})).orphans, []);
});

test('an orphan that is gone by the time it is described has no start time and no memory', async () => {
  const ended = { name: 'x', pid: 2 ** 22 + 7, commandLine: null, via: 'pid-file' as const };
  assert.deepEqual(await describeOrphans([ended]), [{ ...ended, startedAt: null, memoryMB: null }]);
  assert.deepEqual(await describeOrphans([]), []);
});
