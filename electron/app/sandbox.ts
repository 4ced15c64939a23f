// The command sandbox: a definition that arrives through the API or the window is code that will
// run, so it must pass these rules. Each refusal names the field, the rule and how to change it.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { AgentDefinition } from '../../shared/agent.js';
import type { SandboxSettings } from '../../shared/settings.js';
import { AgentTrayError } from '../core/errors.js';

/**
 * Variables that make a process load or run code it was not asked to, with the reason for each.
 * Left out on purpose: PATH, JAVA_HOME and other program locators (they choose which program
 * runs; an allowedCommands name already trusts any file of that name, pin a full path instead);
 * ENV and PROMPT_COMMAND (read by interactive shells only, and ENV is a common app setting);
 * EDITOR, VISUAL, PAGER, BROWSER (run only when a program is asked to open one); LOCPATH,
 * NLSPATH, TZDIR, GLIBC_TUNABLES (data, not code); NODE_EXTRA_CA_CERTS, SSL_CERT_FILE (trust,
 * not code).
 */
export const CODE_LOADING_VARIABLES: Readonly<Record<string, string>> = {
  GCONV_PATH: 'glibc iconv loads its charset converters (shared libraries) from these directories',
  OPENSSL_CONF: 'an OpenSSL configuration can load engines and providers (shared libraries) at startup',
  OPENSSL_ENGINES: 'the directory OpenSSL loads engines from',
  OPENSSL_MODULES: 'the directory OpenSSL loads providers from',
  NODE_OPTIONS: 'Node takes --require / --import / --loader from it: modules run before the program',
  NODE_PATH: 'extra directories require() searches: a module there shadows the one the program meant',
  NODE_REPL_EXTERNAL_MODULE: 'a module Node loads in place of its REPL',
  ELECTRON_RUN_AS_NODE: 'turns any Electron app into plain Node, which runs the script given in its arguments',
  PYTHONPATH: 'directories searched before the standard library: a module there shadows the real one',
  PYTHONHOME: 'where Python takes its whole standard library from',
  PYTHONUSERBASE: 'the user site-packages, whose .pth files run code at every start',
  PYTHONSTARTUP: 'a file Python runs before an interactive session',
  PYTHONINSPECT: 'after the script Python reads and runs its standard input',
  PYTHONWARNINGS: 'a warning category names a module, which Python imports',
  PYTHONBREAKPOINT: 'a callable Python imports (from any module) when breakpoint() is called',
  PYTHONPYCACHEPREFIX: 'Python reads compiled modules from this directory instead of beside the sources',
  JAVA_TOOL_OPTIONS: 'every JVM takes options from it, -javaagent included',
  _JAVA_OPTIONS: 'every HotSpot JVM takes options from it, -javaagent included',
  JDK_JAVA_OPTIONS: 'the java launcher (9+) takes options from it, -javaagent included',
  CLASSPATH: 'where the JVM loads classes from when no -cp is given',
  DOTNET_STARTUP_HOOKS: 'assemblies .NET runs before Main',
  DOTNET_ADDITIONAL_DEPS: 'extra .deps.json files that add assemblies to a .NET app',
  COR_ENABLE_PROFILING: 'with COR_PROFILER, .NET Framework loads a profiler DLL into the process',
  COR_PROFILER: 'the profiler .NET Framework loads when profiling is enabled',
  CORECLR_ENABLE_PROFILING: 'with CORECLR_PROFILER, .NET loads a profiler library into the process',
  CORECLR_PROFILER: 'the profiler .NET loads when profiling is enabled',
  PERL5OPT: 'Perl takes switches from it, -M (load a module) included',
  PERL5LIB: 'directories searched before Perl\'s own: a module there shadows the real one',
  PERLLIB: 'directories searched before Perl\'s own (when PERL5LIB is unset)',
  PERL5DB: 'the code Perl runs as its debugger',
  RUBYOPT: 'Ruby takes switches from it, -r (require a library) included',
  RUBYLIB: 'directories searched before Ruby\'s own: a library there shadows the real one',
  PHPRC: 'where PHP reads php.ini from (auto_prepend_file, extension= load code)',
  PHP_INI_SCAN_DIR: 'extra .ini files PHP reads (auto_prepend_file, extension= load code)',
  R_PROFILE: 'an R file run at every R start',
  R_PROFILE_USER: 'an R file run at every R start',
  BASH_ENV: 'a file every non-interactive bash runs first',
  SHELLOPTS: 'bash options at startup; xtrace makes bash expand PS4, which can run commands',
  PS4: 'expanded by bash (command substitution included) before each traced command',
  GIT_SSH: 'the program git runs instead of ssh',
  GIT_SSH_COMMAND: 'the command git runs instead of ssh',
  GIT_PROXY_COMMAND: 'a command git runs to connect',
  GIT_EXTERNAL_DIFF: 'a program git runs for every diff',
  GIT_EXEC_PATH: 'where git finds its own sub-programs',
  GIT_ASKPASS: 'a program git runs to ask for credentials',
  SSH_ASKPASS: 'a program ssh runs to ask for a passphrase',
  GIT_TEMPLATE_DIR: 'templates (hooks included) that git init and clone copy in; hooks then run',
  GIT_CONFIG: 'a git configuration file; core.fsmonitor, core.sshCommand and aliases run commands',
  COMSPEC: 'Windows: the shell that system() and Node\'s shell: true run',
  PSModulePath: 'directories PowerShell loads modules from automatically',
};

/** Prefixes: every variable whose name begins with one is refused, with the reason. */
export const CODE_LOADING_PREFIXES: Readonly<Record<string, string>> = {
  LD_: 'the dynamic loader (glibc, musl, BSD) reads LD_* (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT load libraries; others change loading or write files)',
  DYLD_: 'macOS dyld reads DYLD_* (DYLD_INSERT_LIBRARIES and the library and framework paths load libraries)',
  BASH_FUNC_: 'exported bash functions: they replace commands of the same name in every bash script',
  GIT_CONFIG_: 'git configuration from the environment (GIT_CONFIG_COUNT/KEY_n/VALUE_n, _GLOBAL, _SYSTEM, _PARAMETERS)',
  COR_PROFILER_PATH: 'the profiler DLL .NET Framework loads (also _32, _64)',
  CORECLR_PROFILER_PATH: 'the profiler library .NET loads (also _32, _64, _ARM64)',
  LUA_INIT: 'Lua runs this code (or @file) before the script (also LUA_INIT_5_4 …)',
  LUA_PATH: 'where require() finds Lua modules (also LUA_PATH_5_4 …)',
  LUA_CPATH: 'where require() finds C modules (shared libraries) for Lua',
};

export interface SandboxContext {
  platform: NodeJS.Platform;
  /** Relative agent cwds are taken from here. */
  dataDir: string;
  /** The environment, for the Windows system folders (SystemRoot, ProgramFiles). */
  env: Record<string, string | undefined>;
  /** Where the settings live, to tell the person which file to edit. */
  settingsFile: string;
  /** Resolves symlinks of an existing path; throws when it does not exist. Default: the file system, when `platform` is this machine's; none otherwise. */
  realpath?: (p: string) => string;
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

/** The path functions of `platform`. */
function pathOf(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** True when `child` is `parent` or inside it (case-insensitive on Windows and macOS); `/etc/..data` is inside `/etc`. */
export function isInside(child: string, parent: string, platform: NodeJS.Platform): boolean {
  const p = pathOf(platform);
  const fold = (s: string) => (platform === 'win32' || platform === 'darwin' ? s.toLowerCase() : s);
  const rel = p.relative(fold(p.resolve(parent)), fold(p.resolve(child)));
  const first = rel.split(p.sep)[0];
  return rel === '' || (first !== '..' && !p.isAbsolute(rel));
}

/** `p` with its symlinks resolved; for a path that does not exist yet, its deepest existing ancestor is resolved and the rest kept. */
export function realPathOf(p: string, platform: NodeJS.Platform, realpath: (p: string) => string): string {
  const paths = pathOf(platform);
  const rest: string[] = [];
  let existing = paths.resolve(p);
  for (;;) {
    try {
      return paths.join(realpath(existing), ...rest);
    } catch {
      // missing, not a directory, or not readable: try the parent
      const parent = paths.dirname(existing);
      if (parent === existing) return paths.resolve(p);
      rest.unshift(paths.basename(existing));
      existing = parent;
    }
  }
}

/** The symlink resolver for `ctx`: the file system's when the platform is this machine's. */
function resolverFor(ctx: SandboxContext): (p: string) => string {
  if (ctx.realpath) return ctx.realpath;
  if (ctx.platform === process.platform) return (p) => realpathSync.native(p);
  return (p) => p;
}

/** The name a command is known by: its file name, without .exe/.cmd/.bat on Windows. */
function commandName(command: string, platform: NodeJS.Platform): string {
  const base = pathOf(platform).basename(command);
  return platform === 'win32' ? base.toLowerCase().replace(/\.(exe|cmd|bat|com)$/, '') : base;
}

/** True when `command` is allowed by an `allowedCommands` entry (a name, or a full path). */
export function commandAllowed(command: string, allowed: readonly string[], platform: NodeJS.Platform): boolean {
  const p = pathOf(platform);
  const same = (a: string, b: string) => (platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);
  return allowed.some((entry) => {
    const entryIsPath = entry.includes('/') || (platform === 'win32' && entry.includes('\\'));
    if (entryIsPath) return p.isAbsolute(command) && same(p.normalize(command), p.normalize(entry));
    return commandName(command, platform) === commandName(entry, platform);
  });
}

/** True when the variable `name` makes a program load code (names compared case-insensitively on Windows). */
function loadsCode(name: string, platform: NodeJS.Platform): boolean {
  const fold = (s: string) => (platform === 'win32' ? s.toUpperCase() : s);
  const key = fold(name);
  return Object.keys(CODE_LOADING_VARIABLES).some((v) => fold(v) === key) || Object.keys(CODE_LOADING_PREFIXES).some((prefix) => key.startsWith(fold(prefix)));
}

/** The variables of `env` that load code and are not allowed by name. */
export function injectingVariables(env: Record<string, string>, allowedEnv: readonly string[], platform: NodeJS.Platform): string[] {
  const fold = (s: string) => (platform === 'win32' ? s.toUpperCase() : s);
  const allowed = new Set(allowedEnv.map(fold));
  return Object.keys(env).filter((key) => loadsCode(key, platform) && !allowed.has(fold(key)));
}

/** Pairs of env names that are one variable on Windows (they differ only in case). */
export function caseDuplicateEnvNames(env: Record<string, string>): [string, string][] {
  const seen = new Map<string, string>();
  const pairs: [string, string][] = [];
  for (const key of Object.keys(env)) {
    const first = seen.get(key.toUpperCase());
    if (first !== undefined) pairs.push([first, key]);
    else seen.set(key.toUpperCase(), key);
  }
  return pairs;
}

/** The commands of a definition that the sandbox checks, by field. */
function commandsOf(def: AgentDefinition): [string, string][] {
  const commands: [string, string][] = [['command', def.command]];
  if (def.stop?.command?.[0]) commands.push(['stop.command', def.stop.command[0]]);
  if (def.health?.command?.[0]) commands.push(['health.command', def.health.command[0]]);
  return commands;
}

/** The restricted directory that `cwd` (as written, or with its symlinks resolved) lies in, or null. */
function restrictedHit(cwd: string, restricted: readonly string[], ctx: SandboxContext): { dir: string; real: string } | null {
  const resolve = resolverFor(ctx);
  const real = realPathOf(cwd, ctx.platform, resolve);
  for (const dir of restricted) {
    const dirs = [dir, realPathOf(dir, ctx.platform, resolve)];
    if ([cwd, real].some((c) => dirs.some((d) => isInside(c, d, ctx.platform)))) return { dir, real };
  }
  return null;
}

/** Throws a `sandbox-refused` error (or `bad-request` for env names Windows cannot tell apart) when `def` breaks a rule; returns quietly otherwise. */
export function checkSandbox(def: AgentDefinition, sandbox: SandboxSettings, ctx: SandboxContext): void {
  const refuse = (field: string, rule: string, message: string, hint: string) => {
    throw new AgentTrayError('sandbox-refused', `Agent "${def.name}": ${message} (sandbox rule ${rule})`, { hint, details: { name: def.name, field, rule } });
  };
  const edit = `edit ${ctx.settingsFile} (the sandbox can only be changed there, not through the API)`;

  if (sandbox.allowedCommands) {
    for (const [field, command] of commandsOf(def)) {
      if (!commandAllowed(command, sandbox.allowedCommands, ctx.platform)) {
        refuse(field, 'sandbox.allowedCommands', `${field} "${command}" is not one of the allowed commands (${sandbox.allowedCommands.join(', ') || 'none'})`, `Use an allowed command, or add it to sandbox.allowedCommands: ${edit}`);
      }
    }
  }

  const cwd = pathOf(ctx.platform).resolve(ctx.dataDir, def.cwd ?? '.');
  const hit = restrictedHit(cwd, sandbox.restrictedPaths ?? defaultRestrictedPaths(ctx.platform, ctx.env), ctx);
  if (hit) {
    const where = hit.real === cwd ? `cwd ${cwd} is` : `cwd ${cwd} resolves to ${hit.real},`;
    refuse('cwd', 'sandbox.restrictedPaths', `${where} inside ${hit.dir}, a restricted directory`, `Choose a cwd outside ${hit.dir}, or change sandbox.restrictedPaths: ${edit}`);
  }

  const bad = injectingVariables(def.env, sandbox.allowedEnv, ctx.platform);
  if (bad.length) {
    const one = bad.length === 1;
    refuse(`env.${bad[0]}`, 'sandbox.allowedEnv', `env sets ${bad.join(', ')}, which make${one ? 's' : ''} a program load code it was not asked to run`, `Remove ${one ? 'it' : 'them'}, or allow ${one ? 'it' : 'them'} by name in sandbox.allowedEnv: ${edit}`);
  }

  const [dup] = ctx.platform === 'win32' ? caseDuplicateEnvNames(def.env) : [];
  if (dup) {
    throw new AgentTrayError('bad-request', `Agent "${def.name}": env.${dup[0]} and env.${dup[1]} name the same variable on Windows, where variable names are not case-sensitive`, {
      hint: 'Keep one of them',
      details: { name: def.name, field: `env.${dup[1]}` },
    });
  }
}
