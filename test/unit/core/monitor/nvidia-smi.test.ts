// Unit tests for the nvidia-smi CSV parsers against recorded output (driver versions, MIG, WDDM, N/A, CRLF).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gpuMemoryOf, parseComputeApps, parseGpus } from '../../../../electron/core/monitor/nvidia-smi.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../../../fixtures/nvidia-smi');

/** A recorded output. */
function recorded(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

test('Linux driver 535: pids and MiB, a process on two GPUs listed twice', () => {
  assert.deepEqual(parseComputeApps(recorded('apps-linux-535.txt')), [
    { pid: 2781, usedMB: 4512 },
    { pid: 3120, usedMB: 22016 },
    { pid: 3120, usedMB: 1024 },
  ]);
  assert.deepEqual(parseGpus(recorded('gpus-linux-535-h100.txt')), [
    { index: 0, totalMB: 81559, usedMB: 26890 },
    { index: 1, totalMB: 81559, usedMB: 1047 },
  ]);
});

test('Windows WDDM (driver 551, CRLF): the per-process figure is unknown, not 0', () => {
  assert.deepEqual(parseComputeApps(recorded('apps-windows-wddm-551.txt')), [
    { pid: 14832, usedMB: null },
    { pid: 9120, usedMB: null },
  ]);
  assert.deepEqual(parseComputeApps('14832, [N/A]\r\n9120, [N/A]\r\n'), [
    { pid: 14832, usedMB: null },
    { pid: 9120, usedMB: null },
  ]);
  assert.deepEqual(parseGpus('0, 24564, 3310\r\n'), [{ index: 0, totalMB: 24564, usedMB: 3310 }]);
  assert.deepEqual(parseGpus(recorded('gpus-windows-wddm-551.txt')), [{ index: 0, totalMB: 24564, usedMB: 3310 }]);
});

test('MIG: driver 450 reports [N/A] per process, driver 535 figures (with trailing spaces)', () => {
  assert.deepEqual(parseComputeApps(recorded('apps-mig-a100-450.txt')), [
    { pid: 40211, usedMB: null },
    { pid: 40388, usedMB: null },
  ]);
  assert.deepEqual(parseComputeApps(recorded('apps-mig-a100-535.txt')), [
    { pid: 51007, usedMB: 9984 },
    { pid: 51122, usedMB: 4864 },
  ]);
  assert.deepEqual(parseGpus(recorded('gpus-mig-a100-535.txt')), [{ index: 0, totalMB: 40960, usedMB: 15104 }]);
});

test('[N/A], [Not Supported] and [Insufficient Permissions] are unknown', () => {
  assert.deepEqual(parseGpus(recorded('gpus-gh200-550.txt')), [{ index: 0, totalMB: null, usedMB: null }]);
  assert.deepEqual(parseGpus('0, [Not Supported], [Not Supported]\n'), [{ index: 0, totalMB: null, usedMB: null }]);
  assert.deepEqual(parseComputeApps(recorded('apps-permissions.txt')), [
    { pid: 7301, usedMB: null },
    { pid: 7302, usedMB: 640 },
  ]);
});

test('empty output is no compute process; a driver error text gives no rows', () => {
  assert.deepEqual(parseComputeApps(recorded('apps-none.txt')), []);
  assert.deepEqual(parseComputeApps('\n\r\n  \n'), []);
  assert.deepEqual(parseComputeApps(recorded('driver-failed.txt')), []);
  assert.deepEqual(parseGpus(recorded('driver-failed.txt')), []);
});

test('gpuMemoryOf sums a tree over GPUs: 0 when not listed, null when a member has no figure', () => {
  const apps = parseComputeApps(recorded('apps-linux-535.txt'));
  assert.equal(gpuMemoryOf(apps, [3120, 3121]), 23040);
  assert.equal(gpuMemoryOf(apps, [2781, 3120]), 27552);
  assert.equal(gpuMemoryOf(apps, [99999]), 0);
  assert.equal(gpuMemoryOf([], [2781]), 0);
  assert.equal(gpuMemoryOf(parseComputeApps(recorded('apps-permissions.txt')), [7302]), 640);
  assert.equal(gpuMemoryOf(parseComputeApps(recorded('apps-permissions.txt')), [7301, 7302]), null);
  assert.equal(gpuMemoryOf(parseComputeApps(recorded('apps-windows-wddm-551.txt')), [14832]), null);
});
