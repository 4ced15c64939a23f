// The agent-tray binary as a child process with its own environment (EDITOR, BROWSER, PATH, NO_COLOR)
// and, optionally, a program in front of it (`script` for a terminal): run to its end, output and
// exit code collected. The child is tracked for cleanup.
import { spawn } from 'node:child_process';
import { track } from './processes.js';

/** The real binary, as npm installs it (`bin/agent-tray.js` over the built dist/: `npm test` builds first). */
export const CLI_ENTRY = new URL('../../bin/agent-tray.js', import.meta.url).pathname;

/** The command line that runs the CLI from any directory (for wrappers: a shell script, `script -c`). */
export const CLI_ARGV = [process.execPath, CLI_ENTRY];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  all: string;
}

/** Runs `agent-tray ...args` with `env` merged over this process's environment; `input` is written to its stdin. */
export function cliWithEnv(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<CliResult> {
  return runProgram(CLI_ARGV[0]!, [...CLI_ARGV.slice(1), ...args], env, input);
}

/** Runs a program to its end with `env` merged over this process's environment. */
export function runProgram(program: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<CliResult> {
  const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  track(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      const c = code ?? (signal ? -1 : null);
      resolve({ code: c, stdout, stderr, all: `exit ${c}\n${stdout}\n${stderr}` });
    });
  });
}

/** `agent-tray ...args` through the real binary, to its end, in the shape cli-process.ts's cliRun gives (stdout as lines). */
export async function binaryRun(...args: string[]): Promise<{ code: number | null; stdout: string[]; stderr: string; all: string }> {
  const r = await cliWithEnv(args);
  const stdout = r.stdout.split('\n');
  if (stdout.at(-1) === '') stdout.pop();
  return { code: r.code, stdout, stderr: r.stderr, all: `exit ${r.code}\n${stdout.join('\n')}\n${r.stderr}` };
}
