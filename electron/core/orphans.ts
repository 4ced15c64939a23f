// Orphans: processes Agent Tray started (they have our PID file, or our marker variables in their
// environment where the platform lets us read it) whose agent is no longer in the config. Listed
// on request and stopped (whole tree) only when a person asks, never silently.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Orphan } from '../../shared/discovery.js';
import { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, type Engine } from './engine.js';
import { readPidFile, removePidFile } from './pid-file.js';
import { commandLineText, listProcesses } from './platform/command-lines.js';
import { readEnvVar } from './platform/process-env.js';
import { isProcessAlive, processStartTime } from './platform/process-table.js';
import { stopProcessTree } from './stop-tree.js';
import { stopWindowsTree } from './stop-windows.js';

/** Every orphan of this data directory: by PID file, and (Linux) by the marker variables. */
export async function findOrphans(engine: Engine, platform: NodeJS.Platform = process.platform): Promise<Orphan[]> {
  const defined = new Set(engine.listDefinitions().map((d) => d.name));
  const orphans = new Map<number, Orphan>();

  const files = await readdir(engine.paths.run).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.pid'))) {
    const name = file.slice(0, -'.pid'.length);
    if (defined.has(name)) continue;
    const content = await readPidFile(path.join(engine.paths.run, file)).catch(() => null);
    if (!content || content.kind === 'invalid') continue;
    const pid = content.kind === 'record' ? content.record.pid : content.pid;
    if (!isProcessAlive(pid, platform)) continue;
    if (content.kind === 'record' && content.record.processStartTime !== null) {
      const started = await processStartTime(pid, platform).catch(() => null);
      if (started !== content.record.processStartTime) continue; // a recycled pid: not ours
    }
    orphans.set(pid, { name, pid, commandLine: await commandLineText(pid, platform).catch(() => null), via: 'pid-file' });
  }

  if (platform === 'linux') {
    const processes = await listProcesses(platform).catch(() => []);
    const marked = new Map<number, string>();
    for (const p of processes) {
      if (p.pid === process.pid) continue;
      const name = readEnvVar(p.pid, AGENT_MARKER_VARIABLE, platform);
      if (name === null || readEnvVar(p.pid, DATA_DIR_VARIABLE, platform) !== engine.paths.root) continue;
      marked.set(p.pid, name);
    }
    for (const p of processes) {
      const name = marked.get(p.pid);
      if (name === undefined || defined.has(name) || orphans.has(p.pid)) continue;
      if (marked.get(p.ppid) === name) continue; // a descendant: its tree's root is the orphan
      orphans.set(p.pid, { name, pid: p.pid, commandLine: p.commandLine, via: 'marker' });
    }
  }
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
