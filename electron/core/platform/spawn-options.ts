// Pure builders of the options that spawn and stop an agent process, per platform.
import type { SpawnOptions } from 'node:child_process';

export interface SpawnPlan {
  platform: NodeJS.Platform;
  cwd: string;
  env: Record<string, string>;
  stdoutFd: number;
  stderrFd: number;
  stdin: 'ignore' | 'pipe';
}

/** The spawn options for an agent: its own process group on POSIX, a hidden console on Windows; output goes to the given files. */
export function buildSpawnOptions(plan: SpawnPlan): SpawnOptions {
  const stdio: SpawnOptions['stdio'] = [plan.stdin, plan.stdoutFd, plan.stderrFd];
  if (plan.platform === 'win32') {
    /**
     * Windows without the helper (agent-tray-helper.exe spawns agents where it exists; see
     * spawn-agent.ts): not detached, because detached would give the child a console of its own.
     * With inherited file descriptors (our log files) libuv does not add CREATE_NO_WINDOW, but
     * windowsHide makes it set SW_HIDE in STARTUPINFO (with STARTF_USESHOWWINDOW), so the
     * console that a console program gets is created hidden and no window is shown (not under
     * Windows Terminal as the default terminal), and libuv puts the child in its kill-on-close job:
     * it ends with Agent Tray. The agent's status says so (windows.note).
     */
    return { cwd: plan.cwd, env: plan.env, stdio, detached: false, windowsHide: true };
  }
  // POSIX: detached makes the agent lead its own process group (setsid), so it outlives the tray and can be signalled as a group.
  return { cwd: plan.cwd, env: plan.env, stdio, detached: true, windowsHide: true };
}

/** The command that force-ends a process and its whole tree on Windows. */
export function taskkillCommand(pid: number): { command: string; args: string[] } {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`);
  return { command: 'taskkill', args: ['/PID', String(pid), '/T', '/F'] };
}

/** base with overrides applied and undefined values dropped; on Windows names match case-insensitively and the override's spelling wins. */
export function mergeEnv(
  base: Record<string, string | undefined>,
  overrides: Record<string, string>,
  platform: NodeJS.Platform,
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined) merged[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (platform === 'win32') {
      const lower = name.toLowerCase();
      for (const existing of Object.keys(merged)) {
        if (existing.toLowerCase() === lower) delete merged[existing];
      }
    }
    merged[name] = value;
  }
  return merged;
}
