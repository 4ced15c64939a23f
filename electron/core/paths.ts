// Where Agent Tray keeps its data: the data directory per platform and the files inside it (pure).
import path from 'node:path';

const APP_DIR_NAME = 'Agent Tray';

export interface DataDirInput {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
  /** An explicit directory, e.g. from --data-dir; wins over everything else. */
  override?: string | undefined;
  /** Directory that a relative override (or AGENT_TRAY_DATA_DIR) is resolved against; if absent, a relative value is returned as given. */
  cwd?: string | undefined;
}

export interface DataPaths {
  root: string;
  agentsFile: string;
  agentsBackup: string;
  settingsFile: string;
  logs: string;
  run: string;
}

/** The path module whose rules match `platform` (win32 or posix), whatever the host is. */
function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** A non-empty variable from env; on Windows the name is matched case-insensitively. */
function envValue(env: Record<string, string | undefined>, name: string, platform: NodeJS.Platform): string | undefined {
  const direct = env[name];
  if (direct) return direct;
  if (platform !== 'win32') return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(env)) {
    if (key.toLowerCase() === lower && value) return value;
  }
  return undefined;
}

/** An explicit directory, resolved against cwd when it is relative and a cwd is known. */
function explicitDir(dir: string, input: DataDirInput): string {
  const p = pathFor(input.platform);
  if (p.isAbsolute(dir) || !input.cwd) return dir;
  return p.resolve(input.cwd, dir);
}

/** The data directory: override, then AGENT_TRAY_DATA_DIR, then the platform's default. */
export function resolveDataDir(input: DataDirInput): string {
  if (input.override) return explicitDir(input.override, input);
  const fromEnv = envValue(input.env, 'AGENT_TRAY_DATA_DIR', input.platform);
  if (fromEnv) return explicitDir(fromEnv, input);

  const p = pathFor(input.platform);
  if (input.platform === 'win32') {
    const appData = envValue(input.env, 'APPDATA', input.platform);
    return appData ? p.join(appData, APP_DIR_NAME) : p.join(input.homedir, 'AppData', 'Roaming', APP_DIR_NAME);
  }
  if (input.platform === 'darwin') {
    return p.join(input.homedir, 'Library', 'Application Support', APP_DIR_NAME);
  }
  const xdg = input.env.XDG_CONFIG_HOME;
  if (xdg && p.isAbsolute(xdg)) return p.join(xdg, APP_DIR_NAME);
  return p.join(input.homedir, '.config', APP_DIR_NAME);
}

/** The files and folders inside the data directory `root`. */
export function dataPaths(root: string, platform: NodeJS.Platform = process.platform): DataPaths {
  const p = pathFor(platform);
  return {
    root,
    agentsFile: p.join(root, 'agents.json'),
    agentsBackup: p.join(root, 'agents.json.bak'),
    settingsFile: p.join(root, 'settings.json'),
    logs: p.join(root, 'logs'),
    run: p.join(root, 'run'),
  };
}

/** Throws unless `name` is usable as one path segment (no separators, not '.' or '..'). */
function assertFileStem(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
    throw new Error(`"${name}" cannot be used in a file name: it is empty, a dot name, or contains a path separator`);
  }
}

/** The stdout and stderr log files of agent `name`. */
export function logFiles(
  paths: DataPaths,
  name: string,
  platform: NodeJS.Platform = process.platform,
): { stdout: string; stderr: string } {
  assertFileStem(name);
  const p = pathFor(platform);
  return { stdout: p.join(paths.logs, `${name}.out.log`), stderr: p.join(paths.logs, `${name}.err.log`) };
}

/** The PID file of agent `name`. */
export function pidFile(paths: DataPaths, name: string, platform: NodeJS.Platform = process.platform): string {
  assertFileStem(name);
  return pathFor(platform).join(paths.run, `${name}.pid`);
}
