// A PM2 ecosystem.config.js is code: to read its apps it is run, once the person has agreed, in a
// child Node process that sees nothing but the file. The file is copied into a fresh temporary
// folder, at the same path inside it as the real file has on disk (so `path.join(__dirname, '..')`
// stays inside); Node's permission model lets the child read only that folder (no other files, no
// child processes, no workers), and a Node without one is not used; its environment is empty; it
// gets 10 seconds. The loader prints the
// exports as JSON, and paths inside the temporary folder are put back to the real ones.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import which from 'which';
import { AgentTrayError } from '../../core/errors.js';

/** What a value the JSON cannot hold becomes, so that it can be named. */
const UNDEFINED = '\u0000undefined';
const FUNCTION = '\u0000function';

/** Imports the file named by argv[1] (CommonJS or ES module) and prints its exports as JSON. */
const LOADER = `import(require('node:url').pathToFileURL(process.argv[1]).href).then((m) => {
  const v = m.default !== undefined ? m.default : m;
  process.stdout.write(JSON.stringify(v, (k, x) => (x === undefined ? ${JSON.stringify(UNDEFINED)} : typeof x === 'function' ? ${JSON.stringify(FUNCTION)} : x)));
}, (e) => { process.stderr.write(String((e && e.message) || e)); process.exitCode = 3; });`;

export const EVALUATION_TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 4 * 1024 * 1024;

export interface EvaluateOptions {
  /** The file's real folder, for the paths built from __dirname. */
  dir: string | null;
  timeoutMs?: number;
}

/** The flags of Node's permission model, newest first (Node 20 knows only the second). */
const PERMISSION_FLAGS = ['--permission', '--experimental-permission'];

/**
 * The Node that runs the file: this process's own, for the headless host; in the desktop app, whose
 * executable is Electron (it cannot run as plain Node: its runAsNode fuse is off), the `node` on
 * PATH — a PM2 file comes from someone who has Node, as PM2 runs on it.
 */
async function nodeProgram(fileName: string): Promise<string> {
  if (!process.versions.electron) return process.execPath;
  const found = await which('node', { nothrow: true });
  if (found) return found;
  throw new AgentTrayError('conflict', `Reading "${fileName}" needs Node.js, and there is no node on PATH`, {
    hint: 'Install Node.js (PM2 runs on it too), or save the apps as JSON next to it (node -p "JSON.stringify(require(\'./ecosystem.config.js\'), null, 2)" > ecosystem.json) and import that',
    details: { fileName },
  });
}

/** The permission flags to try with `program`, the one it is known to take first. */
function flagsFor(program: string): string[] {
  if (program !== process.execPath) return PERMISSION_FLAGS;
  return [...PERMISSION_FLAGS].sort((a, b) => Number(process.allowedNodeEnvironmentFlags.has(b)) - Number(process.allowedNodeEnvironmentFlags.has(a)));
}

/** The refusal of a code file without the person's consent. */
export function codeNeedsConsent(fileName: string): AgentTrayError {
  return new AgentTrayError('conflict', `"${fileName}" is JavaScript: its apps can only be read by running it`, {
    hint: 'Agent Tray runs it in a separate Node process that can read only this file, with an empty environment, for at most 10 seconds. If you trust the file, confirm: allowCode: true in the request, --allow-code on the command line, or the checkbox in the window',
    details: { fileName, needs: 'allowCode' },
  });
}

/** Where the copy of a file in folder `dir` goes inside the temporary folder `root`: at the same path (a Windows drive letter becomes a folder). */
function mirrorOf(root: string, dir: string | null): string {
  if (!dir) return root;
  return path.join(root, process.platform === 'win32' ? dir.replace(/^([A-Za-z]):/, '$1') : dir);
}

/** Runs the ecosystem file `content` (named `fileName`) and answers its exports, with notes on what the isolation changed. */
export async function evaluatePm2Code(fileName: string, content: string, opts: EvaluateOptions): Promise<{ doc: unknown; notes: string[] }> {
  const ext = /\.(c|m)?js$/i.exec(fileName)?.[0].toLowerCase() ?? '.js';
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'agent-tray-import-')));
  try {
    const folder = mirrorOf(root, opts.dir);
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `ecosystem.config${ext}`);
    await writeFile(file, content, { mode: 0o600 });
    const text = await runLoader(fileName, file, root, folder, opts.timeoutMs ?? EVALUATION_TIMEOUT_MS);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AgentTrayError('bad-request', `"${fileName}" ran, but its exports are not data that can be read (${text.slice(0, 80) || 'nothing was exported'})`, { hint: 'Export an object with an "apps" list: module.exports = { apps: [...] }', details: { fileName } });
    }
    const notes: string[] = [];
    return { doc: cleanValue(value, [], { tmp: root, real: opts.dir, notes: new Set(), missing: [], functions: [] }, notes), notes };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** How one run of the loader ended. */
interface LoaderRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs the loader on `file` with Node's permission model (the first flag the Node takes); resolves with what it printed, or rejects with why the file did not run. */
async function runLoader(fileName: string, file: string, root: string, cwd: string, timeoutMs: number): Promise<string> {
  const program = await nodeProgram(fileName);
  for (const flag of flagsFor(program)) {
    const run = await spawnLoader(program, [flag, `--allow-fs-read=${root}`, '--no-warnings', '-e', LOADER, file], cwd, timeoutMs);
    if (run.code !== 0 && /bad option/i.test(run.err) && run.err.includes(flag)) continue; // an older or newer Node: the other flag
    if (run.code === 0) return run.out;
    const why = run.signal ? (run.out.length > MAX_OUTPUT ? 'it printed more than 4 MB' : `it did not finish within ${timeoutMs / 1000} s`) : run.err.trim().split('\n')[0] || `exit code ${run.code}`;
    throw new AgentTrayError('bad-request', `"${fileName}" could not be read by running it: ${why}`, {
      hint: 'It runs with nothing but itself: it cannot require packages or other files (built-in modules work), start processes, or read variables of your environment. Export plain data, or save the apps as ecosystem.json and import that',
      details: { fileName },
    });
  }
  throw new AgentTrayError('conflict', `Reading "${fileName}" needs Node.js 20 or later, whose permission model keeps the file from reading anything else; ${program} has none`, {
    hint: 'Install a newer Node.js, or save the apps as ecosystem.json and import that',
    details: { fileName, node: program },
  });
}

/** Runs `program` with `args` and an empty environment, for at most `timeoutMs` and 4 MB of output. */
function spawnLoader(program: string, args: string[], cwd: string, timeoutMs: number): Promise<LoaderRun> {
  const env: Record<string, string> = {};
  if (process.platform === 'win32' && process.env.SystemRoot) env.SystemRoot = process.env.SystemRoot; // Windows programs need it to start
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL', windowsHide: true });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.length > MAX_OUTPUT) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (err.length < 64 * 1024) err += d;
    });
    child.on('error', (e) => reject(new AgentTrayError('internal', `Could not run ${program}: ${e.message}`, { cause: e })));
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

interface CleanState {
  tmp: string;
  real: string | null;
  notes: Set<string>;
  missing: string[];
  functions: string[];
}

/** The value with the temporary folder in paths put back to the real one, and undefined values and functions taken out (and named in `notes`). */
function cleanValue(value: unknown, at: (string | number)[], state: CleanState, notes: string[]): unknown {
  const result = clean(value, at, state);
  if (state.missing.length) notes.push(`These values were read from the environment, which is empty while the file runs, so they are missing: ${state.missing.join(', ')}. Set them in the agents' env`);
  if (state.functions.length) notes.push(`These were functions, which are not data: ${state.functions.join(', ')}`);
  if (state.notes.has('tmp') && !state.real) notes.push('Paths the file builds from __dirname were made relative, since the file\'s folder was not given; check the cwd of each agent');
  return result;
}

/** `clean` of one value (see cleanValue). */
function clean(value: unknown, at: (string | number)[], state: CleanState): unknown {
  const where = () => at.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  if (typeof value === 'string') {
    if (value === UNDEFINED) return state.missing.push(where()), undefined;
    if (value === FUNCTION) return state.functions.push(where()), undefined;
    if (!value.includes(state.tmp)) return value;
    state.notes.add('tmp');
    return state.real ? realPathsIn(value, state.tmp) : value.split(`${state.tmp}${path.sep}`).join('').split(state.tmp).join('.');
  }
  if (Array.isArray(value)) return value.map((v, i) => clean(v, [...at, i], state));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = clean(v, [...at, k], state);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return value;
}

/** `text` with each path inside the temporary folder `root` put back to the real path it mirrors (on Windows, its first folder back to a drive letter). */
function realPathsIn(text: string, root: string): string {
  if (process.platform !== 'win32') return text.split(root).join('');
  return text.split(`${root}\\`).map((part, i) => (i === 0 ? part : part.replace(/^([A-Za-z])(\\|$)/, '$1:$2'))).join('');
}
