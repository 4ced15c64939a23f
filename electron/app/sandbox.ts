// The command sandbox: a definition that arrives through the API or the window is code that will
// run, so it must pass these rules. Each refusal names the rule and how to change it.
import path from 'node:path';
import type { AgentDefinition } from '../../shared/agent.js';
import type { SandboxSettings } from '../../shared/settings.js';
import { AgentTrayError } from '../core/errors.js';

/** Variables that make a program load code it was not asked to run. */
const INJECTING_VARIABLES = ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'NODE_OPTIONS', 'PYTHONSTARTUP', 'PERL5OPT', 'RUBYOPT', 'JAVA_TOOL_OPTIONS', 'BASH_ENV'];
const INJECTING_PREFIXES = ['DYLD_'];

export interface SandboxContext {
  platform: NodeJS.Platform;
  /** Relative agent cwds are taken from here. */
  dataDir: string;
  /** The environment, for the Windows system folders (SystemRoot, ProgramFiles). */
  env: Record<string, string | undefined>;
  /** Where the settings live, to tell the person which file to edit. */
  settingsFile: string;
}

/** The system directories no agent may work in, per platform. */
export function defaultRestrictedPaths(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'win32') {
    const get = (k: string) => Object.entries(env).find(([key]) => key.toUpperCase() === k)?.[1];
    return [get('SYSTEMROOT') ?? 'C:\\Windows', get('PROGRAMFILES') ?? 'C:\\Program Files', get('PROGRAMFILES(X86)') ?? 'C:\\Program Files (x86)'];
  }
  if (platform === 'darwin') return ['/System', '/usr', '/bin', '/sbin', '/etc', '/private/etc', '/Library/Apple', '/dev'];
  return ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/boot', '/proc', '/sys', '/dev'];
}

/** True when `child` is `parent` or inside it (case-insensitive on Windows and macOS). */
export function isInside(child: string, parent: string, platform: NodeJS.Platform): boolean {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const fold = (s: string) => (platform === 'win32' || platform === 'darwin' ? s.toLowerCase() : s);
  const rel = p.relative(fold(p.resolve(parent)), fold(p.resolve(child)));
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}

/** The name a command is known by: its file name, without .exe/.cmd/.bat on Windows. */
function commandName(command: string, platform: NodeJS.Platform): string {
  const base = (platform === 'win32' ? path.win32 : path.posix).basename(command);
  return platform === 'win32' ? base.toLowerCase().replace(/\.(exe|cmd|bat|com)$/, '') : base;
}

/** True when `command` is allowed by an `allowedCommands` entry (a name, or a full path). */
export function commandAllowed(command: string, allowed: readonly string[], platform: NodeJS.Platform): boolean {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const same = (a: string, b: string) => (platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);
  return allowed.some((entry) => {
    const entryIsPath = entry.includes('/') || (platform === 'win32' && entry.includes('\\'));
    if (entryIsPath) return p.isAbsolute(command) && same(p.normalize(command), p.normalize(entry));
    return commandName(command, platform) === commandName(entry, platform);
  });
}

/** The variables of `env` that inject code and are not allowed by name. */
export function injectingVariables(env: Record<string, string>, allowedEnv: readonly string[], platform: NodeJS.Platform): string[] {
  const fold = (s: string) => (platform === 'win32' ? s.toUpperCase() : s);
  const allowed = new Set(allowedEnv.map(fold));
  return Object.keys(env).filter((key) => {
    const k = fold(key);
    const injecting = INJECTING_VARIABLES.includes(k) || INJECTING_PREFIXES.some((prefix) => k.startsWith(prefix));
    return injecting && !allowed.has(k);
  });
}

/** Throws a `sandbox-refused` error when `def` breaks a rule; returns quietly otherwise. */
export function checkSandbox(def: AgentDefinition, sandbox: SandboxSettings, ctx: SandboxContext): void {
  const refuse = (rule: string, message: string, hint: string) => {
    throw new AgentTrayError('sandbox-refused', `Agent "${def.name}": ${message} (sandbox rule ${rule})`, { hint, details: { name: def.name, rule } });
  };
  const edit = `edit ${ctx.settingsFile} (the sandbox can only be changed there, not through the API)`;

  if (sandbox.allowedCommands) {
    const commands: [string, string][] = [['command', def.command]];
    if (def.stop?.command?.[0]) commands.push(['stop.command', def.stop.command[0]]);
    for (const [field, command] of commands) {
      if (!commandAllowed(command, sandbox.allowedCommands, ctx.platform)) {
        refuse('sandbox.allowedCommands', `${field} "${command}" is not one of the allowed commands (${sandbox.allowedCommands.join(', ') || 'none'})`, `Use an allowed command, or add it to sandbox.allowedCommands: ${edit}`);
      }
    }
  }

  const p = ctx.platform === 'win32' ? path.win32 : path.posix;
  const cwd = p.resolve(ctx.dataDir, def.cwd ?? '.');
  const restricted = sandbox.restrictedPaths ?? defaultRestrictedPaths(ctx.platform, ctx.env);
  const hit = restricted.find((dir) => isInside(cwd, dir, ctx.platform));
  if (hit) {
    refuse('sandbox.restrictedPaths', `the working directory ${cwd} is inside ${hit}, a restricted directory`, `Choose a cwd outside ${hit}, or change sandbox.restrictedPaths: ${edit}`);
  }

  const bad = injectingVariables(def.env, sandbox.allowedEnv, ctx.platform);
  if (bad.length) {
    refuse('sandbox.allowedEnv', `env sets ${bad.join(', ')}, which make${bad.length === 1 ? 's' : ''} a program load code it was not asked to run`, `Remove ${bad.length === 1 ? 'it' : 'them'}, or allow ${bad.length === 1 ? 'it' : 'them'} by name in sandbox.allowedEnv: ${edit}`);
  }
}
