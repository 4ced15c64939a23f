// The settings of one PM2 app that become supervision settings: the program it runs (script,
// interpreter, args), restart policy and backoff, and the memory limit.
import path from 'node:path';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import { splitShellWords } from './shell-words.js';
import type { NotCarried } from './types.js';

type Restart = NonNullable<AgentDefinitionInput['restart']>;

/** The interpreter PM2 picks for a script by its extension (none: the script is run itself). */
const INTERPRETERS: Record<string, string> = {
  '.js': 'node',
  '.cjs': 'node',
  '.mjs': 'node',
  '.py': 'python3',
  '.rb': 'ruby',
  '.php': 'php',
  '.sh': 'bash',
  '.pl': 'perl',
  '.coffee': 'coffee',
  '.ls': 'lsc',
};

/** A string or a list of arguments as a list (a string is split like a shell would, or at spaces when it uses shell syntax). */
export function argList(value: unknown, field: string, out: NotCarried[]): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'number') return [String(value)];
  if (typeof value !== 'string' || value.trim() === '') return [];
  const words = splitShellWords(value);
  if (words) return words;
  out.push({ field, reason: 'it uses shell syntax ($VARIABLES, quotes that do not close, operators) that PM2 does not run through a shell either; it was split at spaces' });
  return value.trim().split(/\s+/);
}

/** The program and arguments of an app: its interpreter (given, or by the script's extension) with the interpreter's arguments, the script, then args. */
export function programOf(app: Record<string, unknown>, out: NotCarried[]): { command: string; args: string[] } {
  const script = typeof app.script === 'string' ? app.script.trim() : '';
  const args = argList(app.args, 'args', out);
  const interpreterArgs = [...argList(app.node_args, 'node_args', out), ...argList(app.interpreter_args, 'interpreter_args', out)];
  const given = typeof app.interpreter === 'string' ? app.interpreter.trim() : '';
  const interpreter = given === 'none' ? '' : given || INTERPRETERS[path.extname(script).toLowerCase()] || '';
  if (!given && path.extname(script).toLowerCase() === '.ts') {
    out.push({ field: 'script', reason: 'PM2 runs .ts scripts with its TypeScript loader when one is installed; set the command (for example npx tsx) yourself' });
  }
  if (!interpreter) {
    if (interpreterArgs.length) out.push({ field: 'interpreter_args', reason: 'the script runs without an interpreter, which is what they were for' });
    return { command: script, args };
  }
  return { command: interpreter, args: [...interpreterArgs, script, ...args] };
}

/** A number of milliseconds, or undefined. */
function millis(value: unknown, max: number): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.min(max, Math.round(n)) : undefined;
}

/** autorestart, max_restarts, min_uptime, restart_delay, exp_backoff_restart_delay and stop_exit_codes as a restart policy. */
export function pm2RestartOf(app: Record<string, unknown>, out: NotCarried[]): Restart {
  const restart: Restart = {};
  if (app.autorestart === false) return { policy: 'no' };
  const exitCodes = Array.isArray(app.stop_exit_codes) ? app.stop_exit_codes : app.stop_exit_codes === undefined ? [] : [app.stop_exit_codes];
  // PM2 restarts an app that exits 0, too, unless 0 is one of its stop_exit_codes
  restart.policy = exitCodes.map(Number).includes(0) ? 'on-failure' : 'always';
  if (exitCodes.some((c) => Number(c) !== 0)) out.push({ field: 'stop_exit_codes', reason: 'only exit code 0 can end an agent without a restart (restart policy on-failure)' });
  const max = millis(app.max_restarts, 1000);
  if (max !== undefined) restart.maxRestarts = max;
  const minUptime = millis(typeof app.min_uptime === 'string' ? parseDuration(app.min_uptime) : app.min_uptime, 86_400_000);
  if (minUptime !== undefined) restart.stableMs = minUptime;
  const exp = millis(app.exp_backoff_restart_delay, 3_600_000);
  const fixed = millis(app.restart_delay, 3_600_000);
  // PM2 grows the exponential delay by 1.5 each time, up to 15 s
  if (exp !== undefined) restart.backoff = { initialMs: exp, factor: 1.5, maxMs: Math.max(exp, 15_000) };
  else if (fixed !== undefined) restart.backoff = { initialMs: fixed, factor: 1, maxMs: fixed };
  if (exp !== undefined && fixed !== undefined) out.push({ field: 'restart_delay', reason: 'exp_backoff_restart_delay is set too, and PM2 uses that one' });
  return restart;
}

/** "1s", "500ms", "2m", "1h" or a number of ms, as ms (NaN when it is none of them). */
function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1;
  return Number(m[1]) * unit;
}

/** max_memory_restart ("300M", "1G", "512K", or bytes) in MB; null when it cannot be read. */
export function memoryMB(value: unknown): number | null {
  if (typeof value === 'number' && value > 0) return Math.round((value / 1024 / 1024) * 10) / 10;
  if (typeof value !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)\s*([KMG])?B?$/i.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toUpperCase();
  const mb = unit === 'G' ? n * 1024 : unit === 'M' ? n : unit === 'K' ? n / 1024 : n / 1024 / 1024;
  return mb > 0 ? Math.round(mb * 10) / 10 : null;
}
