// What one scan for marker variables costs (findMarkedProcesses: every /proc/<pid>/environ on
// Linux, one `ps -E` on macOS), with the machine's processes as they are and with EXTRA more
// (`sleep` processes, 10 of them carrying the markers of the scanned data directory), next to one
// read of the process table for scale. Every process it starts is ended by its pid.
//
//   node --import tsx bench/marker-scan.ts [--extra 300] [--runs 30]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findMarkedProcesses } from '../electron/core/platform/marker-processes.js';
import { readProcessTable } from '../electron/core/platform/process-table.js';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const EXTRA = arg('extra', 300);
const RUNS = arg('runs', 30);
const MARKED = 10;

/** Median and 90th percentile of `runs` wall times of `fn`, and its mean CPU time (user + system; steadier on a busy machine), in ms. */
async function time(fn: () => Promise<unknown>, runs: number): Promise<{ median: number; p90: number; cpu: number }> {
  await fn(); // warm up
  const ms: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(runs / 2)]!, p90: ms[Math.floor(runs * 0.9)]!, cpu: (cpu.user + cpu.system) / 1000 / runs };
}

const processCount = (): number => (process.platform === 'linux' ? readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length : NaN);

async function measure(label: string, dataDir: string): Promise<void> {
  const none = await time(() => findMarkedProcesses({ dataDir: `${dataDir}-none` }), RUNS);
  const scan = await time(() => findMarkedProcesses({ dataDir }), RUNS);
  const table = await time(() => readProcessTable(), RUNS);
  const hits = (await findMarkedProcesses({ dataDir })).length;
  const f = (t: { median: number; p90: number; cpu: number }) => `${t.median.toFixed(1)} ms (p90 ${t.p90.toFixed(1)}, CPU ${t.cpu.toFixed(1)})`;
  console.log(`${label}: ${processCount()} processes: scan without hits ${f(none)}, with ${hits} hits ${f(scan)}; process table read ${f(table)}`);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'agent-tray-marker-bench-'));
const started: ChildProcess[] = [];
try {
  await measure('as the machine is', dataDir);
  for (let i = 0; i < EXTRA; i++) {
    const env = i < MARKED ? { ...process.env, AGENT_TRAY_AGENT: `bench-${i}`, AGENT_TRAY_DATA_DIR: dataDir } : process.env;
    const child = spawn('sleep', ['600'], { stdio: 'ignore', env });
    child.on('error', () => undefined);
    started.push(child);
  }
  await Promise.all(started.map((c) => new Promise((resolve) => (c.pid ? resolve(null) : c.once('spawn', resolve)))));
  await measure(`with ${EXTRA} more`, dataDir);
} finally {
  for (const c of started) if (c.pid) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
  rmSync(dataDir, { recursive: true, force: true });
}
