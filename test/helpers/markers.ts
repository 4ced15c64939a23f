// The processes of an agent as the operating system knows them, by the marker variables every agent
// gets (Linux /proc), to prove that nothing runs twice or is left behind.
import { readdirSync, readFileSync } from 'node:fs';
import { readEnvVar } from '../../electron/core/platform/process-env.js';
import { alive } from './processes.js';

/** Pids of the root processes of agent `name` of data directory `dir` (a marked process whose parent is not marked). */
export function agentRoots(dir: string, name: string): number[] {
  const marked = (pid: number) => readEnvVar(pid, 'AGENT_TRAY_AGENT') === name && readEnvVar(pid, 'AGENT_TRAY_DATA_DIR') === dir && alive(pid);
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (marked(pid) && !marked(ppid)) out.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
