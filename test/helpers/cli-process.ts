// The agent-tray CLI as a child process, the way a person or a script runs it: output lines
// collected, waits for a line with a timeout, the exit code. Every child is tracked for cleanup.
import { spawn } from 'node:child_process';
import { track } from './processes.js';

const cli = new URL('../../electron/cli/index.ts', import.meta.url).pathname;

export interface Running {
  pid: number;
  stdout: string[];
  stderr: () => string;
  exit: Promise<number | null>;
  waitForLine: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>;
}

/** Starts the CLI with `args` (and `env` over this process's environment); collects its output lines. */
export function startCli(args: string[], nodeArgs: string[] = [], env?: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
  track(child.pid);
  const stdout: string[] = [];
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      stdout.push(line);
      for (const w of [...waiters]) {
        const m = w.pattern.exec(line);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((res) => child.once('close', (code, signal) => res(code ?? (signal ? -1 : null))));
  function waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const seen = stdout.map((l) => pattern.exec(l)).find((m) => m);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${stdout.join('\n')}\n${stderr}`)), timeoutMs);
      waiters.push({ pattern, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
  return { pid: child.pid!, stdout, stderr: () => stderr, exit, waitForLine };
}

/** Runs a CLI command to its end. */
export async function cliRun(...args: string[]): Promise<{ code: number | null; stdout: string[]; stderr: string; all: string }> {
  const run = startCli(args);
  const code = await run.exit;
  const stderr = run.stderr();
  return { code, stdout: run.stdout, stderr, all: `exit ${code}\n${run.stdout.join('\n')}\n${stderr}` };
}

