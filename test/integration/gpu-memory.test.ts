// GPU memory per agent through the real host: a stand-in nvidia-smi first on PATH reports a running
// agent's real pid; the status, stats, summary and limits show it; without nvidia-smi it is null.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Cleanups } from '../helpers/engine.js';
import { fakeNvidiaSmi } from '../helpers/fake-nvidia-smi.js';
import { startHost, type TestHost } from '../helpers/http-host.js';
import { fixture, killTracked } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

const POSIX_ONLY = process.platform === 'win32' ? 'the stand-in nvidia-smi is a POSIX sh script' : false;
const behaves = (name: string, extra: Record<string, unknown> = {}) => ({ name, command: process.execPath, args: [fixture('well-behaved.mjs')], ...extra });

/** Sets PATH for this test process (the host runs in it, and looks for nvidia-smi on its first sample); restored afterwards. */
function usePath(value: string): void {
  const saved = process.env.PATH;
  process.env.PATH = value;
  cleanups.push(() => {
    process.env.PATH = saved;
  });
}

/** Starts an agent through the API and returns its pid. */
async function startAgent(host: TestHost, name: string): Promise<number> {
  const started = await host.api('POST', `/api/agents/${name}/start`);
  assert.equal(started.status, 200, JSON.stringify(started.body));
  await waitFor(async () => (await host.api('GET', `/api/agents/${name}`)).body.pid !== null, 10_000, `${name} to have a pid`);
  return (await host.api('GET', `/api/agents/${name}`)).body.pid as number;
}

/** The agent's newest stats once they satisfy `check` (the sampler ticks every 2 s by default). */
async function statsWhen(host: TestHost, name: string, check: (stats: { gpuMemoryMB?: number | null } | null) => boolean, what: string) {
  let stats: { gpuMemoryMB?: number | null } | null = null;
  await waitFor(
    async () => {
      stats = (await host.api('GET', `/api/agents/${name}`)).body.stats;
      return check(stats);
    },
    15_000,
    what,
  );
  return stats as unknown as { gpuMemoryMB?: number | null };
}

test('a stand-in nvidia-smi on PATH: the listed agent shows its GPU memory, another shows 0, [N/A] shows null', { skip: POSIX_ONLY }, async () => {
  const tmp = await tempDir('agent-tray-nvsmi-');
  cleanups.push(tmp.cleanup);
  const fake = await fakeNvidiaSmi(tmp.dir, '', '0, 24564, 3310\n1, 24564, 12\n');
  usePath(`${tmp.dir}${path.delimiter}${process.env.PATH ?? ''}`);
  const host = await startHost(cleanups, { agents: [behaves('model', { limits: { maxGpuMemoryMB: 1000 } }), behaves('plain')] });
  const modelPid = await startAgent(host, 'model');
  await startAgent(host, 'plain');
  await fake.setApps(`${modelPid}, 1024\r\n99999999, 4096\r\n${modelPid}, 512\r\n`);

  await statsWhen(host, 'model', (s) => s?.gpuMemoryMB === 1536, 'model to show 1536 MB of GPU memory');
  const plain = await statsWhen(host, 'plain', (s) => s !== null && s.gpuMemoryMB !== undefined, 'plain to be sampled');
  assert.equal(plain.gpuMemoryMB, 0, 'a known machine, an agent using no GPU: 0');

  const history = await host.api('GET', '/api/agents/model/stats');
  assert.ok(history.body.samples.some((s: { gpuMemoryMB?: number | null }) => s.gpuMemoryMB === 1536), JSON.stringify(history.body.samples));

  const summary = await host.api('GET', '/api/summary');
  assert.equal(summary.status, 200);
  assert.equal(summary.body.totalGpuMemoryMB, 1536);
  assert.deepEqual(summary.body.gpus, [
    { index: 0, totalMB: 24564, usedMB: 3310 },
    { index: 1, totalMB: 24564, usedMB: 12 },
  ]);

  await waitFor(async () => (await host.api('GET', '/api/agents/model/violations')).body.violations.length > 0, 15_000, 'a GPU memory violation');
  const [violation] = (await host.api('GET', '/api/agents/model/violations')).body.violations;
  assert.equal(violation.kind, 'gpuMemory');
  assert.equal(violation.value, 1536);
  assert.equal(violation.limit, 1000);

  // Windows WDDM: the process is listed without a figure: not known, not 0
  await fake.setApps(`${modelPid}, [N/A]\n`);
  await statsWhen(host, 'model', (s) => s?.gpuMemoryMB === null, 'model to show GPU memory as not known');
  assert.equal((await host.api('GET', '/api/summary')).body.totalGpuMemoryMB, null);

  // one nvidia-smi run per query per tick, not more
  const calls = await fake.calls();
  assert.ok(calls.length >= 2 && calls.every((c) => c.startsWith('--query-')), calls.join('\n'));
});

test('a machine without nvidia-smi: gpuMemoryMB is null and the summary has no GPUs', async () => {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && !existsSync(path.join(d, 'nvidia-smi')) && !existsSync(path.join(d, 'nvidia-smi.exe')));
  usePath(dirs.join(path.delimiter));
  const host = await startHost(cleanups, { agents: [behaves('plain')] });
  await startAgent(host, 'plain');
  const stats = await statsWhen(host, 'plain', (s) => s !== null, 'plain to be sampled');
  assert.equal(stats.gpuMemoryMB, null);
  const summary = await host.api('GET', '/api/summary');
  assert.equal(summary.body.totalGpuMemoryMB, null);
  assert.equal(summary.body.gpus, undefined);
});
