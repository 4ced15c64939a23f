#!/usr/bin/env node
// Profiles `agent-tray serve` (node --cpu-prof) through start-all, watching, a re-adoption and stop-all of N
// benchmark agents, and prints where its CPU time went: self time by function, the busiest files,
// and for each phase the wall time and the host's CPU time (from /proc), so that a missed target
// can be explained. Every process it starts is ended by its pid.
//
//   node bench/profile.mjs [--n 100] [--phases start,watch,stop,readopt] [--watch-s 30] [--out DIR] [--top 25]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './lib/child.mjs';
import { cpuSeconds } from './lib/procfs.mjs';
import { endRecorded, installExitHandlers, killPid, recordMarked } from './lib/processes.mjs';
import { agentsOf } from './lib/scenarios.mjs';
import { waitPidsGone, waitUntil, within } from './lib/wait.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// AGENT_TRAY_BIN measures another build (a patched copy, an older release) with the same harness
const BIN = process.env.AGENT_TRAY_BIN || join(ROOT, 'bin', 'agent-tray.js');

/**
 * Self time per function of a V8 .cpuprofile (its samples and timeDeltas), heaviest first; only
 * the samples inside `window` (monotonic microseconds) when given.
 * @param {{ nodes: any[], samples: number[], timeDeltas: number[], startTime: number }} profile
 * @param {{ from: number, to: number } | null} [window]
 */
export function selfTimes(profile, window = null) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // sample timestamps are CLOCK_MONOTONIC microseconds, the clock of process.hrtime here too
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window.from || t > window.to)) return;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const byFunction = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    const cf = node.callFrame;
    const file = cf.url ? cf.url.replace(/^file:\/\//, '') : '';
    const key = `${cf.functionName || '(anonymous)'} ${file ? `${relative(ROOT, file)}:${cf.lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    total += us;
  }
  return { total, functions: [...byFunction].sort((a, b) => b[1] - a[1]) };
}

function parseArgs(argv) {
  const o = { n: 100, phases: ['start', 'watch', 'stop', 'readopt'], out: null, top: 25, watchS: 30 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--n') o.n = Number(argv[++i]);
    else if (a === '--phases') o.phases = argv[++i].split(',');
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--top') o.top = Number(argv[++i]);
    else if (a === '--watch-s') o.watchS = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const prefix = `atp${process.pid}t${Date.now().toString(36)}`;
  installExitHandlers(prefix);
  const tmp = mkdtempSync(join(os.tmpdir(), 'agent-tray-profile-'));
  const profDir = o.out ?? join(tmp, 'profiles');
  mkdirSync(profDir, { recursive: true });
  const dataDir = join(tmp, 'data');
  mkdirSync(dataDir);
  const runId = `${prefix}r1`;
  const agents = agentsOf(runId, o.n);
  writeFileSync(join(dataDir, 'agents.json'), JSON.stringify({ agents: agents.map((a) => ({ name: a.name, command: process.execPath, args: [a.script, ...a.args], env: a.env })) }));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ maxConcurrent: Math.max(5, o.n) }));

  const serve = async () => {
    const host = startChild(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, BIN, 'serve', '--port', '0', '--data-dir', dataDir], { what: 'agent-tray serve (profiled)' });
    const t0 = performance.now();
    const m = await host.waitForLine(/Agent Tray listening on (http:\/\/\S+?)\/?\?token=(\S+)/, 600_000);
    return { host, base: m[1], token: m[2], upMs: performance.now() - t0 };
  };
  const api = async (h, method, path) => {
    const res = await fetch(`${h.base}${path}`, { method, headers: { authorization: `Bearer ${h.token}` } });
    return res.json();
  };
  const windows = [];
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const phase = async (name, h, body) => {
    const c0 = cpuSeconds(h.host.pid);
    const t0 = performance.now();
    const from = nowUs();
    const extra = await body();
    windows.push({ name, pid: h.host.pid, from, to: nowUs() });
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(h.host.pid) - c0;
    console.log(`${name}: ${wall.toFixed(2)} s wall, host CPU ${cpu.toFixed(2)} s (${((cpu / wall) * 100).toFixed(0)} % of a core)${extra ? `; ${extra}` : ''}`);
  };
  const stopHost = async (h) => {
    killPid(h.host.pid, 'SIGTERM'); // a graceful exit writes the profile
    await within(h.host.exited, 30_000);
    if (!h.host.done) killPid(h.host.pid);
  };

  try {
    let h = await serve();
    console.log(`serve up in ${h.upMs.toFixed(0)} ms (profile into ${profDir})`);
    await phase(`start-all of ${o.n}`, h, async () => {
      await api(h, 'POST', '/api/agents/start-all');
      const r = await api(h, 'GET', '/api/agents');
      return `${r.agents.filter((a) => a.state === 'running').length} running`;
    });
    recordMarked(prefix);
    if (o.phases.includes('watch')) {
      await phase(`watch of ${o.n} for ${o.watchS} s`, h, async () => {
        await new Promise((r) => setTimeout(r, o.watchS * 1000));
      });
    }
    if (o.phases.includes('readopt')) {
      // a graceful exit (the agents keep running) writes this host's profile; the next host's
      // start-up re-adopts them as after a SIGKILL (from the PID files)
      await stopHost(h);
      const t0 = performance.now();
      h = await serve();
      await waitUntil(async () => (await api(h, 'GET', '/api/agents')).agents.every((a) => a.state === 'running'), 600_000, 'all running', 50);
      console.log(`readopt: the new host printed its URL after ${h.upMs.toFixed(0)} ms; all ${o.n} running after ${(performance.now() - t0).toFixed(0)} ms`);
    }
    if (o.phases.includes('stop')) {
      const pids = (await api(h, 'GET', '/api/agents')).agents.map((a) => a.pid).filter(Boolean);
      await phase(`stop-all of ${o.n}`, h, async () => {
        const t0 = performance.now();
        const answer = api(h, 'POST', '/api/agents/stop-all');
        const goneMs = await waitPidsGone(pids, t0, 600_000);
        await answer;
        return `every agent process gone after ${goneMs.toFixed(0)} ms`;
      });
    }
    await stopHost(h);
  } finally {
    recordMarked(prefix);
    await endRecorded();
  }

  const print = (title, { total, functions }) => {
    console.log(`\n${title}: ${(total / 1e6).toFixed(2)} s sampled; self time by function:`);
    for (const [key, us] of functions.slice(0, o.top)) console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${((us / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
  };
  for (const f of readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(profDir, f), 'utf8'));
    print(`${f} (whole run)`, selfTimes(profile));
    // the file name holds the pid: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
    const pid = Number(f.split('.')[3]);
    for (const w of windows.filter((x) => x.pid === pid)) print(`  ${w.name} only`, selfTimes(profile, w));
  }
  if (!o.out) rmSync(tmp, { recursive: true, force: true });
}

main().catch(async (err) => {
  console.error(`profile: ${err.stack ?? err}`);
  await endRecorded().catch(() => {});
  process.exit(1);
});
