// The processes that carry an agent's markers (AGENT_TRAY_AGENT=<name> and
// AGENT_TRAY_DATA_DIR=<data dir>, which every agent of Agent Tray gets): a scan of /proc, and the
// pure grouping into each agent's main processes (a marked process whose parent is not marked
// with the same name: an agent's own children, such as a shell script's `sleep`, do not count).
import { readFileSync, readdirSync } from 'node:fs';
import { envValue, parseStat } from '../lib/procfs.mjs';

export const AGENT_VARIABLE = 'AGENT_TRAY_AGENT';
export const DATA_DIR_VARIABLE = 'AGENT_TRAY_DATA_DIR';

/**
 * The marked process described by one /proc entry, or null when it is not marked with `dataDir`,
 * is a zombie, or is gone. Pure: takes the texts of /proc/<pid>/environ and /proc/<pid>/stat.
 * @param {string} environ @param {string} stat @param {string} dataDir
 * @returns {{ pid: number, ppid: number, name: string, start: number } | null}
 */
export function markedFromProc(environ, stat, dataDir) {
  const name = envValue(environ, AGENT_VARIABLE);
  if (name === null || envValue(environ, DATA_DIR_VARIABLE) !== dataDir) return null;
  const s = parseStat(stat);
  if (s.state === 'Z' || s.state === 'X') return null;
  return { pid: s.pid, ppid: s.ppid, name, start: s.starttime };
}

/**
 * Every live process marked with the data directory, read from /proc (processes that cannot be
 * read, or that end while we read them, are skipped).
 * @param {string} dataDir
 * @returns {{ pid: number, ppid: number, name: string, start: number }[]}
 */
export function scanMarked(dataDir) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (!environ.includes(dataDir)) continue;
      const p = markedFromProc(environ, readFileSync(`/proc/${entry}/stat`, 'utf8'), dataDir);
      if (p) out.push(p);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/**
 * The main processes of each agent name: the marked processes whose parent is not a marked
 * process of the same name. Pure.
 * @param {{ pid: number, ppid: number, name: string }[]} procs
 * @returns {Map<string, number[]>} name -> pids of its main processes, sorted
 */
export function mainsByName(procs) {
  const key = (pid, name) => `${pid}\0${name}`;
  const marked = new Set(procs.map((p) => key(p.pid, p.name)));
  const out = new Map();
  for (const p of procs) {
    if (marked.has(key(p.ppid, p.name))) continue;
    const list = out.get(p.name) ?? [];
    list.push(p.pid);
    out.set(p.name, list);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/**
 * The pid and its marked descendants (children, grandchildren…) among `procs`, so that a stray
 * copy of an agent can be ended whole. Pure.
 * @param {{ pid: number, ppid: number }[]} procs @param {number} root
 * @returns {number[]} the root first, then its descendants
 */
export function treeOf(procs, root) {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const p of procs) if (p.ppid === out[i] && !out.includes(p.pid)) out.push(p.pid);
  return out;
}
