// An agent whose log files' disk fills up: its lines are lost (it writes them itself), the host
// says so (an io-error event, hence a `disk` alert), counts it, and the agent keeps running.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../electron/core/engine.js';
import type { EngineEvent } from '../../shared/status.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { mountTinyDisk } from '../helpers/tiny-disk.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('a full disk under the logs is reported once as an io-error of the agent (disk-full), and the agent runs on', async (t) => {
  const disk = mountTinyDisk(512);
  if ('skip' in disk) return t.skip(disk.skip);
  cleanups.push(() => disk.remove());
  const engine = new Engine({ dataDir: disk.dir, logs: { diskCheckMs: 50 } });
  cleanups.push(() => engine.close({ stopAgents: true }));
  engine.setDefinitions([{ name: 'chatty', command: process.execPath, args: [fixture('chatty.mjs')], env: { INTERVAL_MS: '50' } }]);
  const errors: Extract<EngineEvent, { type: 'io-error' }>[] = [];
  engine.subscribe((e) => {
    if (e.type === 'io-error') errors.push(e);
  });
  const started = await engine.start('chatty');
  track(started.pid);
  await waitFor(() => engine.logs('chatty').length > 2, 10_000, 'the first lines');
  assert.equal(errors.length, 0, 'no complaint while there is room');

  disk.fill();
  await waitFor(() => errors.length > 0, 10_000, 'the full disk to be reported');
  assert.equal(errors[0]!.name, 'chatty');
  assert.equal(errors[0]!.code, 'ENOSPC');
  assert.match(errors[0]!.message, /chatty\.out\.log: the disk is full \(ENOSPC\)/);
  // reported once while it lasts, and the agent goes on
  const seen = errors.length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(errors.length, seen, 'said once, not at every check');
  assert.equal(engine.status('chatty').state, 'running');
  assert.ok(alive(started.pid!));

  // room again: lines arrive again, and a later full disk is said again
  disk.free();
  // chatty numbers its lines: three new ones (150 ms, three checks of the disk) once there is room
  const number = () => Number(/line (\d+)/.exec(engine.logs('chatty', 'stdout', 1).at(-1)?.text ?? '')?.[1] ?? 0);
  const before = number();
  await waitFor(() => number() >= before + 3, 10_000, 'new lines once there is room');
  disk.fill();
  await waitFor(() => errors.length > seen, 10_000, 'the second full disk to be reported');
});
