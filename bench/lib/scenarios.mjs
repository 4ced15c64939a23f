// The scenarios of issue 8, each against one tool driver: start + watch + stop (one session),
// readopt, log flood, start/stop cycles. Each returns samples; every process a scenario starts is
// ended by its pid in its `finally`, also when it fails.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentPids, alive, cpuSeconds, fdCount, MARKER, rssMB } from './procfs.mjs';
import { endRecorded, record, recordMarked, waitGone } from './processes.mjs';
import { sleep, waitPidsGone, waitUntil } from './wait.mjs';

const AGENT = fileURLToPath(new URL('../agent.mjs', import.meta.url));
const FLOODER = fileURLToPath(new URL('../flooder.mjs', import.meta.url));

/** N agent definitions of one run, marked with the run id. @param {string} runId @param {number} n */
export function agentsOf(runId, n) {
  return Array.from({ length: n }, (_, i) => {
    const name = `a${i}`;
    return { name, script: AGENT, args: [runId, name], env: { [MARKER]: `${runId}:${name}` } };
  });
}

/** Waits until each of the names has exactly one live marked process; their pids by name. */
async function pidsOf(runId, names, timeoutMs = 10_000) {
  let last = new Map();
  try {
    await waitUntil(
      () => {
        last = agentPids(runId);
        return names.every((n) => last.get(n)?.length === 1);
      },
      timeoutMs,
      'one process per agent',
      50,
    );
  } catch {
    const dup = names.filter((n) => (last.get(n)?.length ?? 0) > 1);
    const none = names.filter((n) => !last.get(n)?.length);
    throw new Error(`agents not running once each: ${none.length} without a process, ${dup.length} with more than one`);
  }
  for (const [name, pids] of last) for (const pid of pids) record(pid, `agent ${name} (${runId})`);
  return new Map([...last].map(([name, pids]) => [name, pids[0]]));
}

/** Waits until the process uses less than `busyPercent` of a core over half a second (at most `maxMs`). */
export async function waitIdle(pid, maxMs, busyPercent = 5) {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    const c0 = cpuSeconds(pid);
    await sleep(500);
    const c1 = cpuSeconds(pid);
    if (c0 === null || c1 === null || ((c1 - c0) / 0.5) * 100 < busyPercent) return;
  }
}

/** Runs `body` with a fresh session of the tool; closes it and ends every process of the run by pid. */
async function withSession(driver, ctx, runId, agents, body) {
  let session = null;
  try {
    session = await driver.open(ctx, agents);
    return await body(session);
  } finally {
    recordMarked(`${runId}:`);
    try {
      await session?.close();
    } catch (err) {
      ctx.log(`  (closing ${driver.id}: ${err.message})`);
    }
    recordMarked(`${runId}:`);
    await endRecorded();
  }
}

const sample = (tool, scenario, n, rep, metrics, extra = {}) => ({ tool, scenario, n, rep, ok: true, metrics, ...extra });
const failed = (tool, scenario, n, rep, err) => ({ tool, scenario, n, rep, ok: false, error: String(err?.message ?? err).split('\n')[0].slice(0, 300), metrics: {} });

/**
 * start, then watch, then stop, of N agents in one session of the tool.
 * @returns {Promise<any[]>} samples of the scenarios asked for
 */
export async function startWatchStop(driver, ctx, { n, rep, scenarios, watchS }) {
  const runId = ctx.nextRunId();
  const agents = agentsOf(runId, n);
  const names = agents.map((a) => a.name);
  const out = [];
  const want = (s) => scenarios.includes(s);
  let phase = 'start';
  try {
    await withSession(driver, ctx, runId, agents, async (session) => {
      const t0 = performance.now();
      const started = await session.startAll();
      const startMs = started?.ms ?? performance.now() - t0;
      const pids = await pidsOf(runId, names);
      if (want('start')) out.push(sample(driver.id, 'start', n, rep, { startMs, ...(started?.commandMs ? { commandMs: started.commandMs } : {}) }));

      if (want('watch')) {
        phase = 'watch';
        await sleep(ctx.smoke ? 500 : 2000); // let the start-up settle
        const pid = session.hostPid;
        const c0 = cpuSeconds(pid);
        const w0 = performance.now();
        const rss = [];
        const end = w0 + watchS * 1000;
        while (performance.now() < end) {
          const r = rssMB(pid);
          if (r !== null) rss.push(r);
          await sleep(Math.min(1000, Math.max(0, end - performance.now())));
        }
        const c1 = cpuSeconds(pid);
        const wall = (performance.now() - w0) / 1000;
        const lost = [...pids.values()].filter((p) => !alive(p)).length;
        if (c0 === null || c1 === null) throw new Error('the host is gone');
        out.push(
          sample(driver.id, 'watch', n, rep, {
            cpuPercent: ((c1 - c0) / wall) * 100,
            rssMB: rss.reduce((a, b) => a + b, 0) / rss.length,
            rssMaxMB: Math.max(...rss),
            seconds: wall,
          }, lost ? { notes: [`${lost} agents were not alive at the end of the watch`] } : {}),
        );
      }

      phase = 'stop';
      const list = [...pids.values()];
      const s0 = performance.now();
      const command = Promise.resolve(session.stopAll());
      command.catch(() => {});
      const stopMs = await waitPidsGone(list, s0, 120_000);
      await command;
      const commandMs = performance.now() - s0;
      if (want('stop')) out.push(sample(driver.id, 'stop', n, rep, { stopMs, commandMs }));
    });
  } catch (err) {
    ctx.log(`  ${driver.id} N=${n}: ${phase} failed: ${err.message}`);
    for (const s of ['start', 'watch', 'stop']) if (want(s) && !out.some((x) => x.scenario === s)) out.push(failed(driver.id, s, n, rep, err));
  }
  return out;
}

/**
 * readopt: N agents running, SIGKILL the host, start it again; the time until all N run under
 * the new host, how many kept their pid, how many ran twice at any moment, how many of the old
 * ones were alive 2 s after the kill.
 */
export async function readopt(driver, ctx, { n, rep }) {
  const runId = ctx.nextRunId();
  const agents = agentsOf(runId, n);
  const names = agents.map((a) => a.name);
  const notes = [];
  try {
    return await withSession(driver, ctx, runId, agents, async (session) => {
      await session.startAll();
      const before = await pidsOf(runId, names);
      await session.prepareReadopt?.();

      // every 100 ms: how many agents run more than once, and (once) how many old ones are alive 2 s after the kill
      let duplicates = 0;
      let survivors = null;
      let tKill = Infinity;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const now = agentPids(runId);
          for (const [name, pids] of now) for (const pid of pids) record(pid, `agent ${name} (${runId})`);
          duplicates = Math.max(duplicates, [...now.values()].reduce((sum, pids) => sum + Math.max(0, pids.length - 1), 0));
          if (survivors === null && performance.now() >= tKill + 2000) survivors = [...before.values()].filter(alive).length;
          await sleep(100);
        }
      })();

      try {
        tKill = performance.now();
        await session.killHost();
        let readoptMs = null;
        let samePids = null;
        if (session.restartHost) {
          const t0 = performance.now();
          try {
            await session.restartHost();
            const after = await session.waitRunning(ctx.smoke ? 60_000 : 600_000);
            readoptMs = performance.now() - t0;
            samePids = names.filter((name) => after.get(name) === before.get(name)).length;
          } catch (err) {
            notes.push(`not all ${n} running again: ${err.message.split('\n')[0]}`);
          }
        } else {
          notes.push('the floor cannot take running agents back: nothing to restart');
        }
        await waitUntil(() => survivors !== null, 10_000, 'the survivor count');
        await sleep(ctx.smoke ? 1000 : 3000); // agents started twice may show late
        return sample(driver.id, 'readopt', n, rep, { readoptMs, samePids, duplicates, survivors }, notes.length ? { notes } : {});
      } finally {
        sampling = false;
        await sampler;
      }
    });
  } catch (err) {
    ctx.log(`  ${driver.id} N=${n}: readopt failed: ${err.message}`);
    return failed(driver.id, 'readopt', n, rep, err);
  }
}

/**
 * The flooding agent without any tool: writing straight to /dev/null (tool `devnull`), or to a
 * regular file that nobody reads (tool `file`, what an agent of Agent Tray writes to); its own run
 * time in ms.
 * @param {'devnull' | 'file'} target
 */
export async function floodBaseline(ctx, { rep, mb, target = 'devnull' }) {
  const runId = ctx.nextRunId();
  const dir = ctx.tmp(target);
  const resultFile = join(dir, 'flood.json');
  const out = openSync(target === 'devnull' ? '/dev/null' : join(dir, 'flood.out.log'), 'a');
  try {
    const child = spawn(process.execPath, [FLOODER, runId, String(mb), resultFile], { stdio: ['ignore', out, 'inherit'], env: { ...process.env, [MARKER]: `${runId}:flood` } });
    record(child.pid, `flooder to ${target}`);
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    if (code !== 0) throw new Error(`the flooder exited with ${code}`);
    const { ms } = JSON.parse(readFileSync(resultFile, 'utf8'));
    return sample(target, 'flood', 1, rep, { runMs: ms });
  } catch (err) {
    return failed(target, 'flood', 1, rep, err);
  } finally {
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
    await endRecorded();
  }
}

/** log flood: one agent writes `mb` MB to stdout under the tool; its run time, and the host's RSS before, at peak and after. */
export async function flood(driver, ctx, { rep, mb, devnullMs }) {
  const runId = ctx.nextRunId();
  const resultFile = join(ctx.tmp('flood-result'), 'flood.json');
  const agent = { name: 'flood', script: FLOODER, args: [runId, String(mb), resultFile], env: { [MARKER]: `${runId}:flood` }, oneShot: true };
  try {
    return await withSession(driver, ctx, runId, [agent], async (session) => {
      const notes = [];
      const pid = session.hostPid;
      await waitIdle(pid, 5000);
      const rssBeforeMB = rssMB(pid);
      let peak = rssBeforeMB ?? 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, rssMB(pid) ?? 0);
          await sleep(100);
        }
      })();
      try {
        await session.startOne('flood');
        await waitUntil(() => existsSync(resultFile), 300_000, 'the flooder to finish', 50);
        const left = recordMarked(`${runId}:`).map((p) => p.pid);
        // under PM2 the process outlives its script (its fork container keeps an IPC channel open)
        if (!(await waitGone(left, 3000))) notes.push('the flooding agent\'s process stayed alive after its script ended');
        await waitIdle(pid, ctx.smoke ? 5000 : 20_000); // the host catches up with the output
        await sleep(ctx.smoke ? 300 : 1000);
      } finally {
        sampling = false;
        await sampler;
      }
      const rssAfterMB = rssMB(pid);
      const { ms } = JSON.parse(readFileSync(resultFile, 'utf8'));
      return sample(driver.id, 'flood', 1, rep, {
        runMs: ms,
        speed: devnullMs ? devnullMs / ms : null,
        rssBeforeMB,
        rssPeakMB: peak,
        rssAfterMB,
        rssGrowthMB: rssAfterMB !== null && rssBeforeMB !== null ? rssAfterMB - rssBeforeMB : null,
      }, notes.length ? { notes } : {});
    });
  } catch (err) {
    ctx.log(`  ${driver.id}: flood failed: ${err.message}`);
    return failed(driver.id, 'flood', 1, rep, err);
  }
}

/** cycle: `cycles` start/stop cycles of one agent; the host's open descriptors and RSS before and after. */
export async function cycle(driver, ctx, { rep, cycles }) {
  const runId = ctx.nextRunId();
  const agents = agentsOf(runId, 1);
  try {
    return await withSession(driver, ctx, runId, agents, async (session) => {
      const pid = session.hostPid;
      // two warm-up cycles: what is opened once (a watcher, a connection) is not a leak
      for (let i = 0; i < 2; i++) {
        await session.startOne('a0');
        await session.stopOne('a0');
      }
      await waitIdle(pid, 5000);
      const fdBefore = fdCount(pid);
      const rssBeforeMB = rssMB(pid);
      const t0 = performance.now();
      for (let i = 0; i < cycles; i++) {
        await session.startOne('a0');
        await session.stopOne('a0');
      }
      const msPerCycle = (performance.now() - t0) / cycles;
      await waitIdle(pid, 5000);
      await sleep(500);
      const fdAfter = fdCount(pid);
      const rssAfterMB = rssMB(pid);
      const left = recordMarked(`${runId}:`);
      const notes = left.length ? [`${left.length} agent processes still alive after the last stop`] : [];
      return sample(driver.id, 'cycle', 1, rep, {
        cycles,
        msPerCycle,
        fdBefore,
        fdAfter,
        fdGrowth: fdAfter - fdBefore,
        rssBeforeMB,
        rssAfterMB,
        rssGrowthMB: rssAfterMB - rssBeforeMB,
      }, notes.length ? { notes } : {});
    });
  } catch (err) {
    ctx.log(`  ${driver.id}: cycle failed: ${err.message}`);
    return failed(driver.id, 'cycle', 1, rep, err);
  }
}
