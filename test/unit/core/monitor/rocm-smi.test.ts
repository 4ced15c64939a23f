// Unit tests for AMD GPU memory: the `rocm-smi --showpids` parser against output people recorded in
// public issues (test/fixtures/rocm-smi/SOURCES.md), the reader with a stand-in rocm-smi, and the
// merge of NVIDIA and AMD readings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GpuReaders, mergeReadings } from '../../../../electron/core/monitor/gpu-readers.js';
import { agentGpuMemoryMB, NO_GPU, type GpuReading } from '../../../../electron/core/monitor/gpu-usage.js';
import { RocmSmiReader } from '../../../../electron/core/monitor/rocm-smi-reader.js';
import { parseShowPids } from '../../../../electron/core/monitor/rocm-smi.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../../../fixtures/rocm-smi');

/** A recorded output. */
function recorded(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

test('space-aligned columns (ROCm/ROC-smi#60): pids and VRAM bytes as MiB, 0 for processes that hold none', () => {
  const apps = parseShowPids(recorded('showpids-aligned.txt'));
  assert.equal(apps.length, 8);
  assert.deepEqual(apps[2], { pid: 1168514, usedMB: 169169.4 });
  assert.deepEqual(apps[0], { pid: 3722222, usedMB: 0 });
  assert.equal(agentGpuMemoryMB({ available: true, apps, gpus: null }, [1168514, 3722222]), 169169.4);
});

test('tab-separated columns with trailing tabs (MI300, ROCm/legacy-rocm-build#4411)', () => {
  assert.deepEqual(parseShowPids(recorded('showpids-mi300-tabs.txt')), [{ pid: 1075718, usedMB: 0 }]);
});

test('UNKNOWN where the system gives no per-process figure (ROCm/rocm_smi_lib#166): unknown, not 0', () => {
  const apps = parseShowPids(recorded('showpids-not-supported.txt'));
  assert.deepEqual(apps.map((a) => a.pid), [55573, 55571, 55574, 55572]);
  assert.ok(apps.every((a) => a.usedMB === null));
  assert.equal(agentGpuMemoryMB({ available: true, apps, gpus: null }, [55571]), null);
  assert.equal(agentGpuMemoryMB({ available: true, apps, gpus: null }, [1]), 0);
});

test('no process on a GPU; a process name with a space; CRLF', () => {
  // the line rocm_smi.py prints in place of the table (ROCm/rocm_smi_lib python_smi_tools/rocm_smi.py, showPids)
  assert.deepEqual(parseShowPids('===== KFD Processes =====\nNo KFD PIDs currently running\n=====\n'), []);
  const table = recorded('showpids-aligned.txt').replace('pt_main_thread ', 'Web Content    ').replace(/\n/g, '\r\n');
  assert.deepEqual(parseShowPids(table)[2], { pid: 1168514, usedMB: 169169.4 });
});

test('output without the table (an error, an older rocm-smi listing bare pids) throws, so it reads as unknown', () => {
  assert.throws(() => parseShowPids('ERROR:root:Driver not initialized (amdgpu not found in modules)\n'), /no "KFD process information" table/);
  assert.throws(() => parseShowPids('KFD process information:\n1234 5678\n'), /unknown table header/);
});

test('merging NVIDIA and AMD readings: both lists, unknown when one failed, totals where given', () => {
  const nvidia: GpuReading = { available: true, apps: [{ pid: 1, usedMB: 100 }], gpus: [{ index: 0, totalMB: 8192, usedMB: 100 }] };
  const amd: GpuReading = { available: true, apps: [{ pid: 2, usedMB: 50 }], gpus: null };
  assert.deepEqual(mergeReadings(NO_GPU, amd), amd);
  assert.deepEqual(mergeReadings(nvidia, NO_GPU), nvidia);
  const both = mergeReadings(nvidia, amd);
  assert.equal(agentGpuMemoryMB(both, [1, 2]), 150);
  assert.deepEqual(both.gpus, nvidia.gpus);
  assert.equal(mergeReadings(nvidia, { ...amd, apps: null }).apps, null);
});

test('a real stand-in rocm-smi: looked for once, run each read, a failure reported once and read as unknown', { skip: process.platform === 'win32' ? 'the stand-in is a POSIX sh script' : false }, async (t) => {
  const tmp = await tempDir('agent-tray-rocm-');
  t.after(tmp.cleanup);
  await copyFile(join(FIXTURES, 'showpids-aligned.txt'), join(tmp.dir, 'out.txt'));
  const file = path.join(tmp.dir, 'rocm-smi');
  await writeFile(file, '#!/bin/sh\ndir=$(dirname "$0")\necho "$*" >> "$dir/calls.log"\n[ -f "$dir/fail" ] && { echo "rocm-smi failed" >&2; exit 1; }\ncat "$dir/out.txt"\n');
  await chmod(file, 0o755);
  let looks = 0;
  const errors: Error[] = [];
  const reader = new GpuReaders([new RocmSmiReader({ locate: async () => (looks++, file), onError: (e) => errors.push(e) })]);
  const reading = await reader.read();
  assert.equal(reading.available, true);
  assert.equal(agentGpuMemoryMB(reading, [1168514]), 169169.4);
  assert.equal(reading.gpus, null);
  assert.equal(readFileSync(join(tmp.dir, 'calls.log'), 'utf8'), '--showpids\n');
  await writeFile(join(tmp.dir, 'fail'), '');
  for (let i = 0; i < 2; i++) assert.deepEqual(await reader.read(), { available: true, apps: null, gpus: null });
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /rocm-smi \(.*rocm-smi\) failed/);
  assert.equal(looks, 1);
});

test('a rocm-smi whose first query fails (no AMD GPU or driver) is left alone: not run again, NVIDIA figures stay known', async () => {
  let runs = 0;
  const errors: Error[] = [];
  const amd = new RocmSmiReader({
    locate: async () => '/opt/rocm/bin/rocm-smi',
    exec: async () => (runs++, 'ERROR:root:Driver not initialized (amdgpu not found in modules)\n'),
    onError: (e) => errors.push(e),
  });
  const nvidia = { read: async (): Promise<GpuReading> => ({ available: true, apps: [{ pid: 7, usedMB: 512 }], gpus: [] }) };
  const reader = new GpuReaders([nvidia, amd]);
  for (let i = 0; i < 3; i++) assert.equal(agentGpuMemoryMB(await reader.read(), [7]), 512);
  assert.equal(runs, 1);
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /failed on its first query, so AMD GPU memory is not read/);
});

test('no rocm-smi: nothing is run, and it costs nothing after the first look', async () => {
  let looks = 0;
  let runs = 0;
  const reader = new RocmSmiReader({ locate: async () => (looks++, null), exec: async () => (runs++, '') });
  for (let i = 0; i < 3; i++) assert.deepEqual(await reader.read(), NO_GPU);
  assert.deepEqual([looks, runs], [1, 0]);
});
