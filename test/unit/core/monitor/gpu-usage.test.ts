// Unit tests for the nvidia-smi reader: one look on PATH, absence remembered, failures tolerated and reported once per streak.
import { test } from 'node:test';
import path from 'node:path';
import assert from 'node:assert/strict';
import { agentGpuMemoryMB, NO_GPU, NvidiaSmiReader } from '../../../../electron/core/monitor/gpu-usage.js';
import { fakeNvidiaSmi } from '../../../helpers/fake-nvidia-smi.js';
import { tempDir } from '../../../helpers/temp-dir.js';

test('no nvidia-smi: looked for once, nothing run, gpuMemoryMB null', async () => {
  let looks = 0;
  let runs = 0;
  const reader = new NvidiaSmiReader({
    locate: async () => (looks++, null),
    exec: async () => (runs++, ''),
  });
  for (let i = 0; i < 3; i++) assert.deepEqual(await reader.read(), NO_GPU);
  assert.equal(looks, 1);
  assert.equal(runs, 0);
  assert.equal(agentGpuMemoryMB(NO_GPU, [1, 2]), null);
});

test('a failed query gives unknown, is retried next read, and is reported once per streak', async () => {
  let failing = true;
  const errors: Error[] = [];
  const reader = new NvidiaSmiReader({
    locate: async () => '/usr/bin/nvidia-smi',
    exec: async (_file, args) => {
      if (failing) throw new Error('exit 9');
      return args[0]?.startsWith('--query-compute-apps') ? '100, 2048\n' : '0, 8192, 2100\n';
    },
    onError: (e) => errors.push(e),
  });
  const first = await reader.read();
  assert.deepEqual(first, { available: true, apps: null, gpus: null });
  assert.equal(agentGpuMemoryMB(first, [100]), null);
  await reader.read();
  assert.equal(errors.length, 1, 'a streak of failures is reported once');
  assert.match(errors[0]?.message ?? '', /nvidia-smi \(\/usr\/bin\/nvidia-smi\) failed: exit 9/);
  failing = false;
  const ok = await reader.read();
  assert.deepEqual(ok.gpus, [{ index: 0, totalMB: 8192, usedMB: 2100 }]);
  assert.equal(agentGpuMemoryMB(ok, [100, 101]), 2048);
  assert.equal(agentGpuMemoryMB(ok, [7]), 0);
  failing = true;
  await reader.read();
  assert.equal(errors.length, 2, 'a new streak after a success is reported again');
});

test('the default reader finds a stand-in on PATH with which and runs it', { skip: process.platform === 'win32' ? 'the stand-in is a POSIX sh script' : false }, async (t) => {
  const tmp = await tempDir('agent-tray-gpu-');
  t.after(tmp.cleanup);
  const fake = await fakeNvidiaSmi(tmp.dir, '4242, 1536\n4243, [N/A]\n');
  const savedPath = process.env.PATH;
  process.env.PATH = `${tmp.dir}${path.delimiter}${savedPath ?? ''}`;
  t.after(() => {
    process.env.PATH = savedPath;
  });
  const reader = new NvidiaSmiReader();
  const reading = await reader.read();
  assert.equal(reading.available, true);
  assert.equal(agentGpuMemoryMB(reading, [4242]), 1536);
  assert.equal(agentGpuMemoryMB(reading, [4242, 4243]), null);
  assert.deepEqual(reading.gpus, [{ index: 0, totalMB: 24564, usedMB: 3310 }]);
  assert.deepEqual((await fake.calls()).sort(), [
    '--query-compute-apps=pid,used_memory --format=csv,noheader,nounits',
    '--query-gpu=index,memory.total,memory.used --format=csv,noheader,nounits',
  ]);
  await fake.setFailing(true);
  const failed = await reader.read();
  assert.equal(failed.available, true);
  assert.equal(failed.apps, null);
});
