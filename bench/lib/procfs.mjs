// Reading processes straight from Linux's /proc: CPU time, RSS, open descriptors, liveness, and the
// benchmark's marked agent processes. The parsers are pure and tested in test/unit/bench/.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** The environment variable every benchmark agent gets: `<run id>:<agent name>`. */
export const MARKER = 'AGENT_TRAY_BENCH';

/**
 * Parses the text of /proc/<pid>/stat. The second field (the command name) is in parentheses and
 * may itself hold spaces and parentheses, so the fields after it are split at the last ')'.
 * @param {string} text
 * @returns {{ pid: number, comm: string, state: string, ppid: number, utime: number, stime: number, starttime: number }}
 */
export function parseStat(text) {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // fields from the third on: state is field 3, ppid 4, utime 14, stime 15, starttime 22 (1-based)
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const field = (n) => Number(rest[n - 3]);
  return { pid, comm, state: rest[0] ?? '?', ppid: field(4), utime: field(14), stime: field(15), starttime: field(22) };
}

/**
 * The resident set size in kB from the text of /proc/<pid>/status (its VmRSS line), or null when it
 * has none (a zombie, a kernel thread).
 * @param {string} text
 * @returns {number | null}
 */
export function parseVmRssKb(text) {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * The value of one variable in the text of /proc/<pid>/environ (NUL-separated), or null.
 * @param {string} text
 * @param {string} name
 * @returns {string | null}
 */
export function envValue(text, name) {
  const prefix = `${name}=`;
  for (const entry of text.split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  return null;
}

let ticks = 0;
/** Clock ticks per second (`getconf CLK_TCK`), the unit of utime and stime. */
export function clockTicks() {
  if (!ticks) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** @param {number} pid */
function readStat(pid) {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** True when the pid is a live process; a zombie counts as gone. @param {number} pid */
export function alive(pid) {
  const s = readStat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** The process's start time in clock ticks since boot (field 22), or null when it is gone. @param {number} pid */
export function startTicks(pid) {
  return readStat(pid)?.starttime ?? null;
}

/** utime + stime of the process in seconds, or null when it is gone. @param {number} pid */
export function cpuSeconds(pid) {
  const s = readStat(pid);
  return s ? (s.utime + s.stime) / clockTicks() : null;
}

/** RSS in MB (1 MB = 1024 kB here, as VmRSS counts kB), or null. @param {number} pid */
export function rssMB(pid) {
  try {
    const kb = parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb === null ? null : kb / 1024;
  } catch {
    return null;
  }
}

/** How many file descriptors the process has open, or null. @param {number} pid */
export function fdCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/**
 * Every live process marked with `AGENT_TRAY_BENCH=<runId>:<name>` whose run id starts with
 * `prefix`: a list of { pid, run, name }. Reads every process's environment (we are root here;
 * processes we cannot read are skipped).
 * @param {string} prefix
 * @returns {{ pid: number, run: string, name: string }[]}
 */
export function markedProcesses(prefix) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let value;
    try {
      value = envValue(readFileSync(`/proc/${pid}/environ`, 'latin1'), MARKER);
    } catch {
      continue;
    }
    if (value === null || !value.startsWith(prefix)) continue;
    if (!alive(pid)) continue;
    const colon = value.lastIndexOf(':');
    out.push({ pid, run: value.slice(0, colon), name: value.slice(colon + 1) });
  }
  return out;
}

/**
 * The marked processes of one run by agent name.
 * @param {string} runId
 * @returns {Map<string, number[]>}
 */
export function agentPids(runId) {
  const byName = new Map();
  for (const p of markedProcesses(`${runId}:`)) {
    const list = byName.get(p.name) ?? [];
    list.push(p.pid);
    byName.set(p.name, list);
  }
  return byName;
}
