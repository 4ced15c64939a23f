// Start at login on Linux: an XDG autostart entry (freedesktop "Desktop Application Autostart"
// spec) at $XDG_CONFIG_HOME/autostart/agent-tray.desktop, written and removed by us because
// Electron's setLoginItemSettings does nothing there. Plain Node: no `electron` import.
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** The argument that makes the app start to the tray, without opening its window. */
export const HIDDEN_ARG = '--hidden';

export const AUTOSTART_FILE_NAME = 'agent-tray.desktop';

/**
 * Where the autostart entry lives: `$XDG_CONFIG_HOME/autostart/agent-tray.desktop`, with
 * XDG_CONFIG_HOME used only when set and absolute (as the XDG Base Directory spec requires),
 * otherwise `~/.config`.
 */
export function autostartFilePath(env: Record<string, string | undefined>, homedir: string): string {
  const xdg = env['XDG_CONFIG_HOME'];
  const configHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.config');
  return path.posix.join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

// Desktop Entry spec, "The Exec key": an argument containing one of these must be quoted.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * Quotes one Exec argument per the Desktop Entry spec: inside double quotes, `"`, `` ` ``, `$`
 * and `\` take a backslash. Empty arguments are quoted too so they survive.
 */
export function quoteExecArg(arg: string): string {
  if (arg !== '' && !RESERVED.test(arg)) return arg;
  return `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Escapes a value of type string for the key file: `\` → `\\`, control characters as `\n`,
 * `\t`, `\r`. For Exec this applies after the argument quoting (the spec's "four backslashes"),
 * and `%` becomes `%%` so that no part of a path reads as a field code.
 */
function escapeExecValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
    .replace(/%/g, '%%');
}

export interface DesktopEntryOptions {
  /** The running executable (Electron's `process.execPath`). */
  execPath: string;
  /** `$APPIMAGE` when running from an AppImage: execPath then points into a temporary mount. */
  appImage?: string | undefined;
  /** Arguments before `--hidden` (for instance the app path when run as `electron <dir>`). */
  args?: string[];
}

/** The Exec line's command: the AppImage (if any) or the executable, the args, `--hidden`. */
export function execCommand(opts: DesktopEntryOptions): string[] {
  const program = opts.appImage ? opts.appImage : opts.execPath;
  return [program, ...(opts.args ?? []), HIDDEN_ARG];
}

/** The content of the autostart `.desktop` file. */
export function desktopEntry(opts: DesktopEntryOptions): string {
  const exec = escapeExecValue(execCommand(opts).map(quoteExecArg).join(' '));
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Agent Tray',
    'Comment=Keeps your local AI agents running',
    `Exec=${exec}`,
    'Icon=agent-tray',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes the entry (creating the autostart directory), atomically. */
export async function enableXdgAutostart(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, content, { encoding: 'utf8', mode: 0o644 });
}

/** Removes the entry; no error when it is already absent. */
export async function disableXdgAutostart(file: string): Promise<void> {
  await rm(file, { force: true });
}

/**
 * Whether the entry exists and is not switched off: a desktop environment's session settings
 * may keep the file but add `Hidden=true` or `X-GNOME-Autostart-enabled=false`.
 */
export async function isXdgAutostartEnabled(file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const entry = parseDesktopEntryGroup(text);
  return entry.get('Hidden') !== 'true' && entry.get('X-GNOME-Autostart-enabled') !== 'false';
}

/** The raw `key=value` pairs of the `[Desktop Entry]` group (no unescaping, no locales). */
export function parseDesktopEntryGroup(text: string): Map<string, string> {
  const result = new Map<string, string>();
  let inGroup = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      inGroup = line === '[Desktop Entry]';
      continue;
    }
    const eq = line.indexOf('=');
    if (!inGroup || eq <= 0) continue;
    result.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return result;
}
