#!/usr/bin/env node
// npm run test:soak: the "kept means kept" soak of issue 13. N agents of several kinds on a private
// data directory; each iteration starts an action (start-all, stop-all, a burst of saves through
// the API, a restart of one agent), SIGKILLs the host at a random moment into it, starts a new
// host and checks: every agent the host calls running runs exactly once (counted by the marker
// variables in /proc/*/environ), none runs that the host calls stopped, agents.json and its .bak
// parse, and no save the API acknowledged is lost. Then it leaves the agents running or stops
// them all (and checks that nothing is left). Linux only (it reads /proc).
//
//   node bench/soak.mjs [--agents 30] [--iterations 50] [--seed S] [--source] [--out FILE] [--keep]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExitHandlers } from './lib/processes.mjs';
import { sleep, within } from './lib/wait.mjs';
import { portAgentCount, soakAgents, writeAgentFiles } from './soak/agents.mjs';
import { cliCommand, freePorts, startHost } from './soak/host.mjs';
import { checkAgents, checkDataFiles, endEscaped, waitNoneMarked } from './soak/check.mjs';
import { createLedger } from './soak/invariants.mjs';
import { scanMarked } from './soak/markers.mjs';
import { parseOptions, USAGE } from './soak/options.mjs';
import { createRng } from './soak/rng.mjs';
import { runAction } from './soak/actions.mjs';
import { closingLine, iterationLine, summarize } from './soak/summary.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ACTIONS = { 'start-all': 3, 'stop-all': 2, saves: 2, restart: 1 };
const MAX_KILL_DELAY_MS = 300;

/** The short commit of the checkout, or 'unknown'. */
function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Starts a host, once more if the first try fails; throws with both reasons. */
async function startHostTwice(cli, dataDir) {
  try {
    return await startHost(cli, dataDir);
  } catch (first) {
    try {
      return await startHost(cli, dataDir);
    } catch (second) {
      throw new Error(`the host did not start twice: ${first.message.split('\n')[0]}; then: ${second.message}`, { cause: second });
    }
  }
}

/** A fresh iteration record. @returns {import('./soak/summary.mjs').Iteration} */
function newIteration(iteration, action, delayMs) {
  return {
    iteration, action, startedFirst: false, delayMs, actionDone: false, restartMs: null,
    violations: [], lostSaves: [], unparsable: [], stillUnparsable: [], leftover: 0, killed: 0,
    saves: { acked: 0, unanswered: 0, refused: 0 }, running: 0, total: 0, after: 'left-running',
  };
}

/**
 * One iteration: the action, the SIGKILL of the host `it.delayMs` into it, a new host, the
 * checks, then stop-all or not. Fills `it` and resolves with the new host; an error that leaves
 * no host carries `fatal`.
 */
async function iterate(it, { host, cli, dataDir, rng, state, brokenFiles, settleMs }) {
  // a stop-all or a restart with little running would end before the kill: start them first
  if ((it.action === 'stop-all' || it.action === 'restart') && state.running < state.defs.size / 2) {
    await host.api('POST', '/api/agents/start-all');
    it.startedFirst = true;
  }
  const killed = { now: false };
  const action = runAction(it.action, { host, rng, state, saves: it.saves, killed, iteration: it.iteration }).then(
    () => (it.actionDone = !killed.now),
    () => {},
  );
  await sleep(it.delayMs);
  killed.now = true;
  await host.kill();
  await within(action, 5000); // its request fails as the connection closes

  let next;
  try {
    next = await startHostTwice(cli, dataDir);
  } catch (err) {
    throw Object.assign(err, { fatal: true });
  }
  it.restartMs = Math.round(next.startMs);
  try {
    const check = await checkAgents(next, dataDir, settleMs);
    it.violations = check.violations;
    it.running = state.running = check.running;
    it.total = check.total;
    it.killed = await endEscaped(check.violations, check.procs);

    const files = checkDataFiles(dataDir, state.ledger, brokenFiles);
    it.unparsable = files.unparsable;
    it.stillUnparsable = files.stillUnparsable;
    it.lostSaves = files.lostSaves;
    if (files.defs) state.defs = new Map(files.defs.map((d) => [d.name, d]));

    if (rng.chance(0.5)) {
      it.after = 'stop-all';
      await next.api('POST', '/api/agents/stop-all');
      it.leftover = (await waitNoneMarked(dataDir, 10_000)).length;
      state.running = 0;
    }
  } catch (err) {
    throw Object.assign(err, { host: next });
  }
  return next;
}

async function main() {
  const opts = parseOptions(process.argv.slice(2), {
    defaultOut: join(ROOT, 'bench', 'results', 'soak-latest.json'),
    randomSeed: () => Math.floor(Math.random() * 2 ** 31),
  });
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  if (process.platform !== 'linux') throw new Error('the soak reads /proc and runs on Linux only');
  const rng = createRng(opts.seed);
  const cli = cliCommand(opts.source);
  const t0 = Date.now();

  const tmpRoot = mkdtempSync(join(os.tmpdir(), 'agent-tray-soak-'));
  const dataDir = join(tmpRoot, 'data');
  const scriptDir = join(tmpRoot, 'agents');
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(scriptDir);
  writeAgentFiles(scriptDir);

  // the hosts are ended by their pid (recorded by startChild), the agents by theirs (found by their markers)
  installExitHandlers(`soak-${process.pid}-`);
  process.on('exit', () => {
    for (const p of scanMarked(dataDir)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    if (!opts.keep) rmSync(tmpRoot, { recursive: true, force: true });
  });

  const where = { node: process.execPath, scriptDir, ports: await freePorts(portAgentCount(opts.agents)) };
  const initial = soakAgents(opts.agents, where);
  writeFileSync(join(dataDir, 'agents.json'), JSON.stringify({ agents: initial }, null, 2) + '\n');
  // no concurrency limit in the way of N agents (and a few created by the saves)
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ maxConcurrent: Math.min(1000, opts.agents + 20) }, null, 2) + '\n');

  const state = { defs: new Map(initial.map((d) => [d.name, d])), ledger: createLedger(initial), rev: 0, running: 0, where };
  console.log(`soak: ${opts.agents} agents, ${opts.iterations} iterations, seed ${opts.seed}; host ${cli.label}; data ${dataDir}`);

  let host = await startHostTwice(cli, dataDir);
  const iterations = [];
  const brokenFiles = new Map();
  let fatal = null;
  for (let i = 1; i <= opts.iterations && !fatal; i++) {
    const it = newIteration(i, rng.weighted(ACTIONS), rng.int(0, MAX_KILL_DELAY_MS));
    iterations.push(it);
    try {
      host = await iterate(it, { host, cli, dataDir, rng, state, brokenFiles, settleMs: opts.settleMs });
    } catch (err) {
      it.error = String(err.message ?? err).split('\n')[0];
      if (err.fatal) fatal = err;
      host = err.host ?? host;
    }
    console.log(iterationLine(it, opts.iterations));
  }

  // the end: stop-all, and nothing with a marker of this data directory may be left
  try {
    if (!fatal) await host.api('POST', '/api/agents/stop-all');
  } catch (err) {
    console.error(`soak: the last stop-all failed: ${err.message}`);
  }
  const leftoverAtEnd = (await waitNoneMarked(dataDir, fatal ? 0 : 15_000)).length;
  await host?.close();

  const summary = summarize(iterations, { leftoverAtEnd, durationS: Math.round((Date.now() - t0) / 1000) });
  const results = {
    meta: {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      commit: gitCommit(),
      machine: `${os.type()} ${os.arch()}, ${os.cpus().length} cores, Node ${process.version}`,
      options: { agents: opts.agents, iterations: opts.iterations, seed: opts.seed, settleMs: opts.settleMs, maxKillDelayMs: MAX_KILL_DELAY_MS },
      host: cli.label,
      ...(fatal ? { aborted: String(fatal.message ?? fatal) } : {}),
    },
    summary,
    iterations,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, JSON.stringify(results, null, 1) + '\n');

  console.log(`\nsoak: ${JSON.stringify(summary, null, 2)}`);
  console.log(`soak: ${relative(process.cwd(), opts.out) || opts.out}; ${summary.durationS} s`);
  if (leftoverAtEnd) console.log(`soak: ${leftoverAtEnd} processes with a marker of the data directory were left after the last stop-all (killed by pid)`);
  if (fatal) console.log(`soak: aborted: ${fatal.message}`);
  console.log(closingLine(summary));
  return summary.failed || leftoverAtEnd || fatal ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`soak: ${err.usage ? err.message : (err.stack ?? err)}`);
    process.exitCode = 2;
  },
);
