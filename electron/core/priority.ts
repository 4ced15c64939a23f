// The operating system's scheduling priority of an agent's main process.
import { constants as osConstants, setPriority } from 'node:os';
import type { Priority } from '../../shared/agent.js';

/** Sets `priority` on `pid`; null when done (or nothing to do), else a line saying why not. */
export function applyPriority(pid: number | null, priority: Priority | undefined, platform: NodeJS.Platform): string | null {
  if (!priority || priority === 'normal' || pid === null) return null;
  const value = priority === 'low' ? osConstants.priority.PRIORITY_BELOW_NORMAL : osConstants.priority.PRIORITY_ABOVE_NORMAL;
  try {
    setPriority(pid, value);
    return null;
  } catch (err) {
    const hint = priority === 'high' && platform !== 'win32' ? ' (raising a priority needs administrator rights on this platform)' : '';
    return `[agent-tray] could not set priority ${priority}: ${(err as Error).message}${hint}`;
  }
}
