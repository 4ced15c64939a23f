// The soak's checks against a live host: the host's word on each agent against the marked
// processes (over a settling time), ending the copies no host owns, waiting for none to be left,
// and the data files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTicks } from '../lib/procfs.mjs';
import { sleep } from '../lib/wait.mjs';
import { createSettler, judgeSnapshot, parseDataFile } from './invariants.mjs';
import { mainsByName, scanMarked, treeOf } from './markers.mjs';

/**
 * Compares GET /api/agents with the marked processes until every agent agrees or `settleMs` is
 * over; the violations that are left, the agents running, and the last scan.
 * @param {{ api: (method: string, path: string) => Promise<any> }} host @param {string} dataDir @param {number} settleMs
 */
export async function checkAgents(host, dataDir, settleMs, pollMs = 250) {
  const settler = createSettler();
  const deadline = performance.now() + settleMs;
  for (;;) {
    const list = (await host.api('GET', '/api/agents')).agents;
    const procs = scanMarked(dataDir);
    settler.feed(judgeSnapshot(list, mainsByName(procs)), list.map((a) => a.name));
    if (settler.clear || performance.now() >= deadline) return { violations: settler.violations(), running: list.filter((a) => a.state === 'running').length, total: list.length, procs };
    await sleep(pollMs);
  }
}

/** SIGKILLs a pid when it is still the process of that start time; true when signalled. @param {number} pid @param {number} start */
function killIfSame(pid, start) {
  if (startTicks(pid) !== start) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends, by pid, the copies of agents that no host owns (a duplicate beside the host's pid, a
 * process of an agent the host calls stopped, a stray), with their marked descendants, so that
 * the next iteration starts from a state the host knows. Returns how many processes it ended.
 * @param {{ kind: string, pids: number[], hostPid: number | null }[]} violations
 * @param {{ pid: number, ppid: number, start: number }[]} procs the scan the violations came from
 */
export async function endEscaped(violations, procs) {
  const startOf = new Map(procs.map((p) => [p.pid, p.start]));
  let ended = 0;
  for (const v of violations) {
    if (v.kind === 'running-without-process') continue;
    for (const root of v.pids.filter((pid) => pid !== v.hostPid)) {
      for (const pid of treeOf(procs, root)) if (killIfSame(pid, startOf.get(pid))) ended++;
    }
  }
  return ended;
}

/**
 * Waits until no process carries a marker of the data directory; those still there after
 * `timeoutMs` are SIGKILLed by pid and returned.
 * @param {string} dataDir @param {number} timeoutMs
 */
export async function waitNoneMarked(dataDir, timeoutMs, pollMs = 50) {
  const deadline = performance.now() + timeoutMs;
  let left = scanMarked(dataDir);
  while (left.length && performance.now() < deadline) {
    await sleep(pollMs);
    left = scanMarked(dataDir);
  }
  for (const p of left) killIfSame(p.pid, p.start);
  return left;
}

/** The file's text, or null when it does not exist. @param {string} file */
function readOrNull(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * agents.json and agents.json.bak: each must parse, and agents.json must hold every save the API
 * acknowledged. A file that does not parse is counted in the iteration that broke it; while it
 * stays exactly as it was, later iterations list it under `stillUnparsable` only.
 * @param {string} dataDir
 * @param {ReturnType<typeof import('./invariants.mjs').createLedger>} ledger
 * @param {Map<string, string>} broken file -> the text it had when it was found broken (kept between calls)
 */
export function checkDataFiles(dataDir, ledger, broken) {
  const out = { unparsable: [], stillUnparsable: [], lostSaves: [], defs: null };
  for (const file of ['agents.json', 'agents.json.bak']) {
    const text = readOrNull(join(dataDir, file));
    const parsed = parseDataFile(text);
    if (!parsed.ok) {
      if (broken.get(file) === text) out.stillUnparsable.push(file);
      else out.unparsable.push({ file, error: parsed.error });
      broken.set(file, /** @type {string} */ (text));
    } else broken.delete(file);
    if (file === 'agents.json' && parsed.ok && parsed.present) {
      const defs = Array.isArray(parsed.value?.agents) ? parsed.value.agents : [];
      out.lostSaves = ledger.check(defs);
      out.defs = defs;
    }
  }
  return out;
}
