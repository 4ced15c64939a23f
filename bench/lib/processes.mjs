// Every process the benchmark starts (hosts, daemons, the floor, agents found by their marker) is
// recorded here and ended by its pid: at the end of each scenario, also when it failed, and in a
// process-exit handler if the benchmark itself is interrupted. Nothing is ever ended by name.
import { spawn } from 'node:child_process';
import { alive, markedProcesses, startTicks } from './procfs.mjs';

/** pid -> { what, start } for every process recorded and not yet ended; `start` is its start time in ticks since boot. */
const recorded = new Map();
/** Every pid ever recorded, for the final leak check. */
const everRecorded = new Map();

/** Records a pid to end later. @param {number | null | undefined} pid @param {string} what */
export function record(pid, what) {
  if (typeof pid !== 'number' || pid <= 0) return;
  const entry = { what, start: startTicks(pid) };
  recorded.set(pid, entry);
  everRecorded.set(pid, entry);
}

/** True while the pid is alive and is still the process that was recorded (not a recycled pid). */
function sameProcess(pid, entry) {
  return alive(pid) && (entry.start === null || startTicks(pid) === entry.start);
}

/** Records every live process marked with a run id that starts with `prefix`. @param {string} prefix */
export function recordMarked(prefix) {
  const found = markedProcesses(prefix);
  for (const p of found) record(p.pid, `agent ${p.name} (${p.run})`);
  return found;
}

/** SIGKILLs one pid (not its group: a group is only signalled where we know we created it). @param {number} pid */
export function killPid(pid, signal = 'SIGKILL') {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until every pid is gone (zombies count as gone); true when they all went within `timeoutMs`.
 * @param {number[]} pids
 */
export async function waitGone(pids, timeoutMs, pollMs = 20) {
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter(alive);
  while (left.length) {
    if (Date.now() > deadline) return false;
    await sleep(pollMs);
    left = left.filter(alive);
  }
  return true;
}

/**
 * Ends the recorded processes of which `select` approves (all by default): SIGKILL by pid, then
 * waits for them to be gone. Returns the pids that were still alive and had to be killed.
 * @param {(pid: number, what: string) => boolean} [select]
 */
export async function endRecorded(select = () => true) {
  const killed = [];
  for (const [pid, entry] of [...recorded]) {
    if (!select(pid, entry.what)) continue;
    if (sameProcess(pid, entry)) {
      killPid(pid);
      killed.push(pid);
    }
    recorded.delete(pid);
  }
  await waitGone(killed, 5000);
  return killed;
}

/** Pids recorded during the whole benchmark that are still alive (should be none at the end). */
export function stillAlive() {
  return [...everRecorded].filter(([pid, entry]) => sameProcess(pid, entry)).map(([pid, entry]) => ({ pid, what: entry.what }));
}

let handlersInstalled = false;
/**
 * On exit (normal or by a signal), SIGKILLs every recorded process that is still alive, and every
 * agent process marked with a run id that starts with `prefix` (found, then ended by its pid).
 * @param {string} prefix
 */
export function installExitHandlers(prefix) {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const [pid, entry] of recorded) if (sameProcess(pid, entry)) killPid(pid);
    try {
      for (const p of markedProcesses(prefix)) killPid(p.pid);
    } catch {
      // /proc unreadable: nothing more to do
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\nbench: ${signal}; ending the ${recorded.size} recorded processes by pid`);
      process.exit(130);
    });
  }
}

/**
 * Runs a command to its end (no shell) and resolves with its output; its pid is recorded while it
 * runs, and it is SIGKILLed after `timeoutMs`.
 * @param {string} command @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, ms: number }>}
 */
export function runCommand(command, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    record(child.pid, `${command} ${args.join(' ')}`.slice(0, 120));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => killPid(child.pid), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      recorded.delete(child.pid);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}
