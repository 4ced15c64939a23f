// Processes that tests start are ended by their pid, also when a test fails.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../../electron/core/platform/process-table.js';

const started = new Set<number>();

/** Remembers a pid (and its process group) to end in `killTracked`. */
export function track(...pids: (number | null | undefined)[]): void {
  for (const pid of pids) if (typeof pid === 'number' && pid > 0) started.add(pid);
}

/** SIGKILLs every tracked pid and the process group it leads; safe to call twice. */
export function killTracked(): void {
  for (const pid of started) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  started.clear();
}

/** True when the pid is a live process (zombies count as gone). */
export function alive(pid: number): boolean {
  return isProcessAlive(pid);
}

/** A path to a fixture agent. */
export function fixture(name: string): string {
  return new URL(`../fixtures/agents/${name}`, import.meta.url).pathname;
}

/** The pids of the agents a host started in `dir`, from their PID files (a killed host leaves them behind). */
export function agentPidsOf(dir: string): number[] {
  try {
    return readdirSync(path.join(dir, 'run'))
      .filter((f) => f.endsWith('.pid'))
      .map((f) => {
        try {
          return Number((JSON.parse(readFileSync(path.join(dir, 'run', f), 'utf8')) as { pid: unknown }).pid) || 0;
        } catch {
          return 0;
        }
      });
  } catch {
    return [];
  }
}
