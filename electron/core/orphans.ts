// Orphans: processes Agent Tray started (they have our PID file, or our marker variables in their
// environment where the platform lets us read it) that nothing supervises: their agent is no longer
// in the config, or it is configured but not running under supervision (a daemon it left behind,
// a process of a run whose stop could not end it). Listed on request and stopped (whole tree) only
// when a person asks, never silently.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Orphan } from '../../shared/discovery.js';
import type { AgentState } from '../../shared/status.js';
import type { Engine } from './engine.js';
import { readPidFile, removePidFile } from './pid-file.js';
import { commandLineText } from './platform/command-lines.js';
import { findMarkedProcesses, type MarkedProcess } from './platform/marker-processes.js';
import { isProcessAlive, processStartTime, readProcessTable } from './platform/process-table.js';
import { stopProcessTree, treeMembers } from './stop-tree.js';
import { stopWindowsTree } from './stop-windows.js';

/** States in which an agent's processes are the engine's to manage: none of them is an orphan. */
const SUPERVISED: ReadonlySet<AgentState> = new Set(['starting', 'running', 'stopping']);

/** The agents the engine supervises now (configured or still running after removal), with their pids. */
function supervisedNow(engine: Engine): Map<string, number | null> {
  return new Map(engine.list().filter((s) => SUPERVISED.has(s.state)).map((s) => [s.name, s.pid]));
}

/** Every pid in the trees (group and descendants) of the supervised runs. */
async function managedTrees(supervised: Map<string, number | null>, platform: NodeJS.Platform): Promise<Set<number>> {
  const roots = [...supervised.values()].filter((pid): pid is number => pid !== null);
  if (roots.length === 0) return new Set();
  const table = await readProcessTable(platform);
  return new Set([...roots, ...roots.flatMap((pid) => treeMembers(pid, table).map((p) => p.pid))]);
}

/** Orphans by PID file: a live process (same start time) in the PID file of an agent neither configured nor supervised. */
async function pidFileOrphans(engine: Engine, defined: Set<string>, supervised: Map<string, number | null>, platform: NodeJS.Platform): Promise<Orphan[]> {
  const orphans: Orphan[] = [];
  const files = await readdir(engine.paths.run).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.pid'))) {
    const name = file.slice(0, -'.pid'.length);
    if (defined.has(name) || supervised.has(name)) continue;
    const content = await readPidFile(path.join(engine.paths.run, file)).catch(() => null);
    if (!content || content.kind === 'invalid') continue;
    const pid = content.kind === 'record' ? content.record.pid : content.pid;
    if (!isProcessAlive(pid, platform)) continue;
    if (content.kind === 'record' && content.record.processStartTime !== null) {
      const started = await processStartTime(pid, platform).catch(() => null);
      if (started !== content.record.processStartTime) continue; // a recycled pid: not ours
    }
    orphans.push({ name, pid, commandLine: await commandLineText(pid, platform).catch(() => null), via: 'pid-file' });
  }
  return orphans;
}

/**
 * Orphans by marker variables: the roots among the marked processes of agents that are not supervised now,
 * outside every supervised run's tree. Statuses are read after the scan, so a run that started meanwhile is
 * either missing from the scan or supervised by then.
 */
async function markerOrphans(engine: Engine, platform: NodeJS.Platform): Promise<Orphan[]> {
  const marked = await findMarkedProcesses({ dataDir: engine.paths.root, platform }).catch(() => [] as MarkedProcess[]);
  if (marked.length === 0) return [];
  const supervised = supervisedNow(engine);
  const managed = await managedTrees(supervised, platform).catch(() => new Set<number>());
  const candidates = marked.filter((p) => !supervised.has(p.name) && !managed.has(p.pid));
  const byPid = new Map(candidates.map((p) => [p.pid, p]));
  return candidates
    .filter((p) => byPid.get(p.ppid)?.name !== p.name) // a descendant: its tree's root is the orphan
    .map((p) => ({ name: p.name, pid: p.pid, commandLine: p.commandLine, via: 'marker' as const }));
}

/** Every orphan of this data directory: by PID file, and by the marker variables (Linux, macOS). */
export async function findOrphans(engine: Engine, platform: NodeJS.Platform = process.platform): Promise<Orphan[]> {
  const defined = new Set(engine.listDefinitions().map((d) => d.name));
  const orphans = new Map<number, Orphan>();
  for (const o of await pidFileOrphans(engine, defined, supervisedNow(engine), platform)) orphans.set(o.pid, o);
  for (const o of await markerOrphans(engine, platform)) if (!orphans.has(o.pid)) orphans.set(o.pid, o);
  return [...orphans.values()].sort((a, b) => a.name.localeCompare(b.name) || a.pid - b.pid);
}

/** Stops every orphan with its whole tree and removes their PID files. */
export async function cleanupOrphans(engine: Engine, orphans: readonly Orphan[], platform: NodeJS.Platform = process.platform): Promise<{ name: string; pid: number; outcome: string; pids: number[] }[]> {
  return Promise.all(
    orphans.map(async (o) => {
      const result =
        platform === 'win32'
          ? await stopWindowsTree({ pid: o.pid, timeoutMs: 0 })
          : await stopProcessTree({ pid: o.pid, signal: 'SIGTERM', timeoutMs: 5_000, insistMs: 2_000, platform });
      if (o.via === 'pid-file') await removePidFile(path.join(engine.paths.run, `${o.name}.pid`));
      return { name: o.name, pid: o.pid, outcome: result.outcome, pids: result.pids };
    }),
  );
}
