#!/usr/bin/env node
// npm run bench: Agent Tray against the physical floor (a plain Node parent), PM2 and supervisord,
// on the same machine in one run (issue 8). Writes every sample as JSON, a Markdown table and an
// SVG chart. `--smoke` (CI): N = 5, one repetition, shortened scenarios; it checks that every run
// worked and that no process of the run is left, and asserts no timing. The `window` scenario is the
// window's own benchmark (bench/window/run.mjs: the renderer in Chromium against a stand-in host),
// written to window.json and window.md. The `relay` scenario is the on-demand relay against direct
// requests to its agent (bench/relay/run.mjs), written to relay.json and relay.md.
//
//   node bench/run.mjs [--n 20,100] [--reps 3] [--tools floor,agent-tray,pm2,supervisord]
//                      [--scenarios start,stop,watch,flood,cycle,readopt,stack,window,relay] [--smoke] [--out DIR]
//                      [--watch-s 30] [--flood-mb 50] [--cycles 200] [--chains 10] [--depth 3] [--stack-ready-ms 100]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markedProcesses } from './lib/procfs.mjs';
import { endRecorded, installExitHandlers, killPid, recordMarked, stillAlive } from './lib/processes.mjs';
import { renderMarkdown, renderSvg } from './lib/report.mjs';
import { cycle, flood, floodBaseline, readopt, startWatchStop } from './lib/scenarios.mjs';
import { runsStacks, stack } from './lib/stack.mjs';
import { agentTray } from './lib/tools/agent-tray.mjs';
import { floor } from './lib/tools/floor.mjs';
import { pm2 } from './lib/tools/pm2.mjs';
import { supervisord } from './lib/tools/supervisord.mjs';
import { relayOptions, runRelayBench, writeRelayResults } from './relay/run.mjs';
import { parseWindowArgs, runWindowBench, smokeFailures, writeWindowResults } from './window/run.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DRIVERS = { floor, 'agent-tray': agentTray, pm2, supervisord };
const ALL_SCENARIOS = ['start', 'stop', 'watch', 'flood', 'cycle', 'readopt', 'stack', 'window', 'relay'];
/** The scenarios that write their own files instead of samples in results.json. */
const OWN_FILES = ['window', 'relay'];

function parseArgs(argv) {
  const smoke = argv.includes('--smoke');
  const opts = {
    smoke,
    ns: smoke ? [5] : [20, 100],
    reps: smoke ? 1 : 3,
    tools: Object.keys(DRIVERS),
    scenarios: [...ALL_SCENARIOS],
    watchS: smoke ? 3 : 30,
    floodMB: smoke ? 5 : 50,
    cycles: smoke ? 10 : 200,
    chains: 10,
    depth: 3,
    stackReadyMs: smoke ? 20 : 100,
    out: smoke ? join(os.tmpdir(), 'agent-tray-bench-smoke') : join(ROOT, 'bench', 'results', 'latest'),
  };
  const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--smoke') continue;
    else if (a === '--n') opts.ns = list(value()).map(Number);
    else if (a === '--reps') opts.reps = Number(value());
    else if (a === '--tools') opts.tools = list(value());
    else if (a === '--scenarios') opts.scenarios = list(value());
    else if (a === '--watch-s') opts.watchS = Number(value());
    else if (a === '--flood-mb') opts.floodMB = Number(value());
    else if (a === '--cycles') opts.cycles = Number(value());
    else if (a === '--chains') opts.chains = Number(value());
    else if (a === '--depth') opts.depth = Number(value());
    else if (a === '--stack-ready-ms') opts.stackReadyMs = Number(value());
    else if (a === '--out') opts.out = value();
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/run.mjs [--n 20,100] [--reps 3] [--tools floor,agent-tray,pm2,supervisord] [--scenarios start,stop,watch,flood,cycle,readopt,stack,window,relay] [--smoke] [--out DIR] [--watch-s 30] [--flood-mb 50] [--cycles 200] [--chains 10] [--depth 3] [--stack-ready-ms 100]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  for (const t of opts.tools) if (!DRIVERS[t]) throw new Error(`unknown tool ${t}; the tools are ${Object.keys(DRIVERS).join(', ')}`);
  for (const s of opts.scenarios) if (!ALL_SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; the scenarios are ${ALL_SCENARIOS.join(', ')}`);
  if (opts.ns.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--n takes positive integers');
  if (!Number.isInteger(opts.reps) || opts.reps < 1) throw new Error('--reps takes a positive integer');
  for (const k of ['chains', 'depth']) if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k} takes a positive integer`);
  if (!Number.isInteger(opts.stackReadyMs) || opts.stackReadyMs < 0) throw new Error('--stack-ready-ms takes a whole number of ms');
  return opts;
}

function machine() {
  const cpus = os.cpus();
  const gib = os.totalmem() / 1024 ** 3;
  return {
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model?.trim() ?? '?',
    cores: cpus.length,
    memGiB: Math.round(gib),
    node: process.version,
    description: `${os.type()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model?.trim() ?? '?'}), ${Math.round(gib)} GiB, Node ${process.version}`,
  };
}

/** Runs the window benchmark into `opts.out`; what failed (in a smoke run: what smokeFailures names; always: a run that did not finish, a process left). */
async function windowScenario(opts) {
  const wopts = parseWindowArgs([...(opts.smoke ? ['--smoke'] : []), '--out', opts.out]);
  try {
    const results = await runWindowBench(wopts, (line) => console.log(`  ${line}`));
    writeWindowResults(results, opts.out);
    if (opts.smoke) return smokeFailures(results);
    return results.leftover.map((l) => `left running: ${l}`);
  } catch (err) {
    return [`the window benchmark did not finish: ${err instanceof Error ? err.message : err}`];
  }
}

/** Runs the relay benchmark into `opts.out`; what failed (it asserts no timing). */
async function relayScenario(opts, ctx, meta) {
  try {
    const results = await runRelayBench(ctx, relayOptions(opts.smoke), (line) => console.log(`  ${line}`));
    writeRelayResults(results, { machine: meta.machine.description, date: meta.date, commit: meta.commit }, opts.out);
    return [];
  } catch (err) {
    return [`the relay benchmark did not finish: ${err instanceof Error ? err.message : err}`];
  }
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const prefix = `atb${process.pid}t${Date.now().toString(36)}`;
  installExitHandlers(prefix);
  let runCounter = 0;
  const tmpRoot = mkdtempSync(join(os.tmpdir(), 'agent-tray-bench-'));
  const ctx = {
    smoke: opts.smoke,
    prefix,
    nextRunId: () => `${prefix}r${++runCounter}`,
    tmp: (what) => mkdtempSync(join(tmpRoot, `${what}-`)),
    log: (line) => console.log(line),
  };

  const results = {
    meta: {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      machine: machine(),
      commit: gitCommit(),
      options: { ns: opts.ns, reps: opts.reps, scenarios: opts.scenarios, smoke: opts.smoke, watchS: opts.watchS, floodMB: opts.floodMB, cycles: opts.cycles, chains: opts.chains, depth: opts.depth, stackReadyMs: opts.stackReadyMs },
      tools: opts.tools,
      ...(process.env.AGENT_TRAY_BIN ? { agentTrayBin: process.env.AGENT_TRAY_BIN } : {}),
      versions: {},
      missing: {},
    },
    samples: [],
  };
  mkdirSync(opts.out, { recursive: true });
  const save = () => writeFileSync(join(opts.out, 'results.json'), JSON.stringify(results, null, 1) + '\n');

  const tools = [];
  for (const id of opts.tools) {
    const a = await DRIVERS[id].available();
    if (a.ok) {
      tools.push(DRIVERS[id]);
      results.meta.versions[id] = a.version;
    } else {
      results.meta.missing[id] = a.reason;
      console.log(`bench: ${id} is missing: ${a.reason}`);
    }
  }
  console.log(`bench: ${results.meta.machine.description}; N = ${opts.ns.join(', ')}; ${opts.reps} rep(s); tools ${tools.map((t) => t.id).join(', ')}; scenarios ${opts.scenarios.join(', ')}${opts.smoke ? ' (smoke)' : ''}`);

  const add = (s) => {
    results.samples.push(s);
    const m = Object.entries(s.metrics)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`)
      .join(' ');
    console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.tool.padEnd(11)} ${s.scenario.padEnd(7)} N=${String(s.n).padEnd(4)} rep ${s.rep}  ${s.ok ? m : s.error}${s.notes ? `  (${s.notes.join('; ')})` : ''}`);
    save();
  };
  const want = (s) => opts.scenarios.includes(s);
  const stackTools = tools.filter((t) => runsStacks(t.id));
  if (want('stack') && stackTools.length < tools.length) console.log(`bench: stack: ${tools.filter((t) => !runsStacks(t.id)).map((t) => t.id).join(', ')} have no dependencies to drive; skipped`);
  const t0 = Date.now();
  const at = () => `[${Math.round((Date.now() - t0) / 1000)} s]`;
  let windowFailures = [];
  let relayFailures = [];

  try {
    for (let rep = 1; rep <= opts.reps; rep++) {
      // the order of the tools turns with each repetition, so that a slow drift of the machine does not favour one
      const order = tools.map((_, i) => tools[(i + rep - 1) % tools.length]);
      for (const n of opts.ns) {
        for (const driver of order) {
          if (want('start') || want('stop') || want('watch')) {
            console.log(`${at()} [rep ${rep}/${opts.reps}] ${driver.id}: start, watch, stop of ${n} agents`);
            for (const s of await startWatchStop(driver, ctx, { n, rep, scenarios: opts.scenarios, watchS: opts.watchS })) add(s);
          }
          if (want('readopt')) {
            console.log(`${at()} [rep ${rep}/${opts.reps}] ${driver.id}: readopt of ${n} agents`);
            add(await readopt(driver, ctx, { n, rep }));
          }
        }
      }
      if (want('flood')) {
        console.log(`${at()} [rep ${rep}/${opts.reps}] flood of ${opts.floodMB} MB`);
        const devnull = await floodBaseline(ctx, { rep, mb: opts.floodMB, target: 'devnull' });
        add(devnull);
        add(await floodBaseline(ctx, { rep, mb: opts.floodMB, target: 'file' }));
        for (const driver of order) add(await flood(driver, ctx, { rep, mb: opts.floodMB, devnullMs: devnull.metrics.runMs }));
      }
      if (want('cycle')) {
        for (const driver of order) {
          console.log(`${at()} [rep ${rep}/${opts.reps}] ${driver.id}: ${opts.cycles} start/stop cycles`);
          add(await cycle(driver, ctx, { rep, cycles: opts.cycles }));
        }
      }
      if (want('stack')) {
        for (const driver of order.filter((d) => runsStacks(d.id))) {
          console.log(`${at()} [rep ${rep}/${opts.reps}] ${driver.id}: stack of ${opts.chains} chains of depth ${opts.depth}`);
          add(await stack(driver.id, ctx, { rep, chains: opts.chains, depth: opts.depth, readyMs: opts.stackReadyMs }));
        }
      }
    }
    if (want('window')) {
      console.log(`${at()} the window's own benchmark (bench/window/run.mjs)`);
      windowFailures = await windowScenario(opts);
    }
    if (want('relay')) {
      if (tools.some((t) => t.id === 'agent-tray')) {
        console.log(`${at()} the on-demand relay against direct requests (bench/relay/run.mjs)`);
        relayFailures = await relayScenario(opts, ctx, results.meta);
      } else relayFailures = [`needs agent-tray among the tools (${results.meta.missing['agent-tray'] ?? 'not asked for'})`];
    }
  } finally {
    recordMarked(prefix);
    await endRecorded();
  }

  results.meta.durationS = Math.round((Date.now() - t0) / 1000);
  const where = relative(process.cwd(), opts.out) || '.';
  const own = opts.scenarios.filter((s) => OWN_FILES.includes(s)).map((s) => `${s}.{json,md}`);
  if (opts.scenarios.some((s) => !OWN_FILES.includes(s))) {
    save();
    writeFileSync(join(opts.out, 'results.md'), renderMarkdown(results));
    writeFileSync(join(opts.out, 'chart.svg'), renderSvg(results));
    console.log(`\nbench: done in ${results.meta.durationS} s; ${where}/results.{json,md}, chart.svg${own.map((o) => `, ${o}`).join('')}`);
  } else {
    // only scenarios with their own files ran: the tools' results of an earlier run stay as they are
    console.log(`\nbench: done in ${results.meta.durationS} s; ${where}/${own.join(', ')}`);
  }

  // nothing of the run may be left: every pid we recorded, and every process with our marker
  const leftRecorded = stillAlive();
  const leftMarked = markedProcesses(prefix);
  for (const { pid } of [...leftRecorded, ...leftMarked]) killPid(pid);
  rmSync(tmpRoot, { recursive: true, force: true });
  const failures = results.samples.filter((s) => !s.ok);
  let bad = false;
  if (leftRecorded.length || leftMarked.length) {
    bad = true;
    console.error(`bench: LEAK: ${leftRecorded.length} recorded processes and ${leftMarked.length} marked agent processes were still alive (now killed): ${[...leftRecorded, ...leftMarked].map((p) => p.pid).join(', ')}`);
  } else console.log('bench: no process of the run is left');
  if (windowFailures.length) {
    bad = true;
    for (const f of windowFailures) console.error(`bench: window: ${f}`);
  }
  if (relayFailures.length) {
    bad = true;
    for (const f of relayFailures) console.error(`bench: relay: ${f}`);
  }
  if (opts.smoke) {
    if (failures.length) {
      bad = true;
      console.error(`bench: smoke: ${failures.length} runs failed: ${failures.map((f) => `${f.tool} ${f.scenario}: ${f.error}`).join('; ')}`);
    }
    const perN = opts.scenarios.filter((s) => ['start', 'stop', 'watch', 'readopt'].includes(s)).length;
    const expected = opts.reps * (opts.ns.length * tools.length * perN + (want('flood') ? 2 + tools.length : 0) + (want('cycle') ? tools.length : 0) + (want('stack') ? stackTools.length : 0));
    if (results.samples.length !== expected) {
      bad = true;
      console.error(`bench: smoke: ${results.samples.length} samples, expected ${expected}`);
    }
  }
  process.exitCode = bad ? 1 : 0;
}

main().catch(async (err) => {
  console.error(`bench: ${err.stack ?? err}`);
  await endRecorded().catch(() => {});
  process.exit(2);
});
