// The Windows helper (dist/native/agent-tray-helper.exe) called from the lane under Wine: process
// facts and tree kills come from it, never from Wine's tasklist/wmic/netstat, which are stubs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWine } from '../../helpers/wine.js';

/** Where the full build puts the helper (and where `agent-tray serve` finds it). */
export const HELPER_EXE = fileURLToPath(new URL('../../../dist/native/agent-tray-helper.exe', import.meta.url));

/** One line of `info`: a live process with its facts, or `alive: false`. */
export interface ProcessInfo {
  pid: number;
  alive: boolean;
  ppid?: number;
  createdMs?: number;
  creationTime?: string;
  exe?: string;
  commandLine?: string | null;
}

/** One line of `list`. */
export interface ListedProcess {
  pid: number;
  ppid: number;
  createdMs: number;
  exe: string;
  commandLine?: string | null;
}

/** Why the helper cannot be used, or null. */
export function helperMissingReason(): string | null {
  return existsSync(HELPER_EXE) ? null : `the Windows helper is not built (${HELPER_EXE}; \`node build/build.mjs\` builds it where x86_64-w64-mingw32-gcc is installed)`;
}

/** Runs one helper verb; its exit code and the JSON objects it printed (one per line). */
export async function helper(args: string[], stdin?: string): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  const result = await runWine(HELPER_EXE, args, { timeoutMs: 30_000, ...(stdin !== undefined ? { stdin } : {}) });
  if (result.timedOut) throw new Error(`agent-tray-helper ${args.join(' ')} did not exit within 30 s`);
  const lines = result.stdout
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`agent-tray-helper ${args.join(' ')} printed a line that is not JSON: ${line}`);
      }
    });
  return { code: result.code, lines, stderr: result.stderr };
}

/** `info` for each pid (in the order asked). */
export async function info(...pids: number[]): Promise<ProcessInfo[]> {
  const { lines } = await helper(['info', ...pids.map(String)]);
  return pids.map((pid) => (lines.find((l) => l.pid === pid) as ProcessInfo | undefined) ?? { pid, alive: false });
}

/** The pids among `pids` that are alive now. */
export async function aliveOf(pids: number[]): Promise<number[]> {
  if (pids.length === 0) return [];
  return (await info(...pids)).filter((p) => p.alive).map((p) => p.pid);
}

/** Every process of the prefix, with command lines. */
export async function list(): Promise<ListedProcess[]> {
  const { lines } = await helper(['list', '--command-lines']);
  return lines as unknown as ListedProcess[];
}

/** `kill-tree pid createdMs` (0: no creation-time check); the helper's reply. */
export async function killTree(pid: number, createdMs = 0): Promise<Record<string, unknown> | undefined> {
  const { lines } = await helper(['kill-tree', String(pid), String(createdMs)]);
  return lines[0];
}
