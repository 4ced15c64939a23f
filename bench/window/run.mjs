#!/usr/bin/env node
// The window's own benchmark (issue 16): the built renderer in Debian's Chromium (headless,
// 1280×800) against the stand-in host (bench/window/stand-in-host.mjs), with 200 agents, 20,000
// log lines of each in the window's store and 10 events a second replayed. It measures, in the
// page, the time between animation frames (p50/p95/p99, dropped frames) and the long tasks while
// the log view of one agent scrolls through its 20,000 lines (at a wheel's speed, and dragged top
// to bottom and back), the agents list scrolls top to bottom and back, and the list sits idle
// while events flow; and first, as the machine's floor, a static page scrolled the same way.
// Writes window.json and window.md.
//
//   node bench/window/run.mjs [--agents 200] [--history-lines 20000] [--events-per-s 10] [--seconds 10]
//                             [--phases floor,logs,logs-drag,list,idle] [--out DIR] [--profile DIR]
//                             [--renderer DIR] [--smoke] [--check]
//
// --smoke: 50 agents, 2,000 lines each, 3 s a phase; fails when the page did not work (no frames,
// console errors) or a process is left, asserts no timing. --check: exits 1 when a target is missed.
// --profile DIR: a CPU profile of the page per phase (window-<phase>.cpuprofile; DevTools opens it).
// --renderer DIR: another build of the renderer (default dist/renderer), to compare two.
/* global location, document -- in functions that run in the page */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../lib/child.mjs';
import { alive } from '../lib/procfs.mjs';
import { installExitHandlers, killPid } from '../lib/processes.mjs';
import { sleep, waitUntil, within } from '../lib/wait.mjs';
import { groupMembers, launchBrowser } from './browser.mjs';
import { floorPage, measurePhase, PHASES, phaseLine } from './measure.mjs';
import { renderWindowMarkdown } from './metrics.mjs';
import { installProbe } from './page-probe.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST = fileURLToPath(new URL('./stand-in-host.mjs', import.meta.url));

/** The options of a run; `smoke` changes the defaults. @param {string[]} argv */
export function parseWindowArgs(argv) {
  const smoke = argv.includes('--smoke');
  const opts = {
    smoke,
    check: argv.includes('--check'),
    agents: smoke ? 50 : 200,
    historyLines: smoke ? 2_000 : 20_000,
    eventsPerS: 10,
    seconds: smoke ? 3 : 10,
    phases: Object.keys(PHASES),
    profile: null,
    renderer: null,
    out: smoke ? join(os.tmpdir(), 'agent-tray-bench-smoke') : join(ROOT, 'bench', 'results', 'latest'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const count = (min) => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < min) throw new Error(`${a} takes a number ≥ ${min}`);
      return n;
    };
    if (a === '--smoke' || a === '--check') continue;
    else if (a === '--agents') opts.agents = Math.floor(count(1));
    else if (a === '--history-lines') opts.historyLines = Math.floor(count(0));
    else if (a === '--events-per-s') opts.eventsPerS = count(0);
    else if (a === '--seconds') opts.seconds = count(1);
    else if (a === '--phases') opts.phases = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--out') opts.out = value();
    else if (a === '--profile') opts.profile = value();
    else if (a === '--renderer') opts.renderer = value();
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/window/run.mjs [--agents 200] [--history-lines 20000] [--events-per-s 10] [--seconds 10] [--phases floor,logs,logs-drag,list,idle] [--out DIR] [--profile DIR] [--renderer DIR] [--smoke] [--check]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  for (const p of opts.phases) if (!PHASES[p]) throw new Error(`unknown phase ${p}; the phases are ${Object.keys(PHASES).join(', ')}`);
  return opts;
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function machine() {
  const cpus = os.cpus();
  return `${os.type()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model?.trim() ?? '?'}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
}

/** The number in the log view's status line ("20,012 lines"), or 0. @param {import('playwright').Page} page */
async function linesShown(page) {
  const text = (await page.locator('.log-status').textContent({ timeout: 1_000 }).catch(() => '')) ?? '';
  const m = /([\d,]+) lines?/.exec(text);
  return m ? Number(m[1].replace(/,/g, '')) : 0;
}

/**
 * Runs the window benchmark; ends the stand-in host and Chromium by their pids on every path.
 * @param {ReturnType<typeof parseWindowArgs>} opts
 * @param {(line: string) => void} [log]
 */
export async function runWindowBench(opts, log = (l) => console.log(l)) {
  const results = {
    meta: { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), commit: gitCommit(), machine: machine(), chromium: '?', options: { agents: opts.agents, historyLines: opts.historyLines, eventsPerS: opts.eventsPerS, seconds: opts.seconds, phases: opts.phases, smoke: opts.smoke } },
    setup: { historyLoadS: null, heapMB: null },
    phases: [],
    problems: [],
    leftover: [],
  };
  const host = startChild(process.execPath, [HOST, '--agents', String(opts.agents), '--history-lines', String(opts.historyLines), ...(opts.renderer ? ['--renderer', opts.renderer] : [])], { what: 'stand-in host (window benchmark)' });
  let chromium = null;
  try {
    const [, url, token] = await host.waitForLine(/listening on (http:\/\/\S+)\/\?token=(\S+)/, 30_000);
    const api = async (method, path) => {
      const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}` } }).catch((err) => {
        throw new Error(`stand-in host: ${method} ${path} failed: ${err.cause?.message ?? err.message}`);
      });
      if (!res.ok) throw new Error(`stand-in host: ${method} ${path} answered ${res.status}: ${await res.text()}`);
      return res.json();
    };
    const { agents } = await api('GET', '/api/agents');
    const viewed = agents.find((a) => a.state === 'running')?.name ?? agents[0].name;

    chromium = await launchBrowser();
    results.meta.chromium = chromium.version;
    log(`window: ${results.meta.machine}; ${chromium.version}; ${opts.agents} agents, ${opts.historyLines} lines each, ${opts.eventsPerS} events/s, ${opts.seconds} s a phase${opts.smoke ? ' (smoke)' : ''}`);
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const measure = async (page, cdp, id, hostState) => {
      const p = await measurePhase({ browser: chromium.browser, page, cdp, hostState, seconds: opts.seconds, profileDir: opts.profile }, id);
      results.phases.push(p);
      log(phaseLine(p));
    };

    // the floor: the same browser on a static page, scrolled like the list; what is dropped here is the machine's
    if (opts.phases.includes('floor')) {
      const page = await context.newPage();
      await page.setContent(floorPage(opts.agents));
      await page.evaluate(installProbe); // setContent does not navigate: an init script would not run
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await sleep(1_000);
      await measure(page, cdp, 'floor', null);
      await page.close();
    }

    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') results.problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => results.problems.push(`page error: ${e.message}`));
    await page.addInitScript(installProbe);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');

    // the log view of one agent first: the whole history arrives while it is shown
    const t0 = performance.now();
    await page.goto(`${url}/?token=${token}#/agents/${viewed}/logs`);
    await waitUntil(async () => (await api('GET', '/bench/state')).clients.some((c) => c.historyDone), 600_000, 'the stand-in host to send the history', 250);
    await waitUntil(async () => (await linesShown(page)) >= opts.historyLines, 600_000, () => `the log view of ${viewed} to show ${opts.historyLines} lines`, 250);
    results.setup.historyLoadS = (performance.now() - t0) / 1000;
    const { metrics } = await cdp.send('Performance.getMetrics');
    results.setup.heapMB = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 ** 2;
    log(`window: the history (${opts.agents} × ${opts.historyLines} lines) is in the window after ${results.setup.historyLoadS.toFixed(1)} s; JS heap ${results.setup.heapMB.toFixed(0)} MB`);

    await api('POST', `/bench/rate?eventsPerS=${opts.eventsPerS}`);
    await sleep(2_000);

    let view = 'logs';
    for (const id of opts.phases.filter((p) => p !== 'floor')) {
      const phase = PHASES[id];
      if (phase.view !== view) {
        await page.evaluate((hash) => (location.hash = hash), phase.view === 'logs' ? `#/agents/${viewed}/logs` : '#/agents');
        if (phase.view === 'list') await page.waitForFunction((n) => document.querySelectorAll('.agents__table tbody tr[aria-label]').length >= n, opts.agents, { timeout: 30_000 });
        else await page.locator('.log-scroll').waitFor({ timeout: 30_000 });
        view = phase.view;
        await sleep(1_000);
      }
      await measure(page, cdp, id, () => api('GET', '/bench/state'));
    }
    await context.close();
  } catch (err) {
    // what the stand-in host said last explains most failures (a shape that broke the contract, a crash)
    if (err instanceof Error) err.message += `\nthe stand-in host's last output:\n${host.tail() || '(none)'}`;
    throw err;
  } finally {
    if (chromium) {
      const killed = await chromium.end();
      if (killed.length) log(`window: ${killed.length} Chromium processes were left after closing it; killed by its process group`);
      if (groupMembers(chromium.pid).length) results.leftover.push(`Chromium's process group ${chromium.pid}: ${groupMembers(chromium.pid).join(', ')}`);
    }
    host.child.kill('SIGTERM');
    await within(host.exited, 5_000);
    if (alive(host.pid)) {
      killPid(host.pid);
      await within(host.exited, 5_000);
    }
    if (alive(host.pid)) results.leftover.push(`the stand-in host, pid ${host.pid}`);
  }
  return results;
}

/** What makes a smoke run fail: a phase without frames, an error in the page, a process left. @param {any} results */
export function smokeFailures(results) {
  const failures = [];
  for (const p of results.phases) if (p.frames.frames < 10) failures.push(`${p.label}: only ${p.frames.frames} frames`);
  if (results.phases.length !== results.meta.options.phases.length) failures.push(`${results.phases.length} of ${results.meta.options.phases.length} phases ran`);
  failures.push(...results.problems, ...results.leftover.map((l) => `left running: ${l}`));
  return failures;
}

/** Writes window.json and window.md into `out`; their paths. @param {any} results @param {string} out */
export function writeWindowResults(results, out) {
  mkdirSync(out, { recursive: true });
  const json = join(out, 'window.json');
  const md = join(out, 'window.md');
  writeFileSync(json, JSON.stringify(results, null, 1) + '\n');
  writeFileSync(md, renderWindowMarkdown(results));
  return [json, md];
}

async function main() {
  const opts = parseWindowArgs(process.argv.slice(2));
  installExitHandlers(`atw${process.pid}`);
  const results = await runWindowBench(opts);
  const files = writeWindowResults(results, opts.out);
  console.log(`window: ${files.map((f) => relative(process.cwd(), f)).join(', ')}`);
  const missed = results.phases.filter((p) => !p.verdict.met);
  console.log(missed.length ? `window: targets missed in ${missed.map((p) => p.label).join(', ')}` : 'window: every phase met the targets (p95 ≤ one frame, no task over 50 ms)');
  let code = 0;
  if (opts.smoke) {
    const failures = smokeFailures(results);
    for (const f of failures) console.error(`window: smoke: ${f}`);
    if (failures.length) code = 1;
  } else if (results.leftover.length) {
    console.error(`window: LEAK: ${results.leftover.join('; ')}`);
    code = 1;
  }
  if (opts.check && missed.length) code = 1;
  process.exitCode = code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(`window: ${err instanceof Error ? err.stack : err}`);
    process.exit(2);
  });
}
