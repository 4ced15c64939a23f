// Writing an argument vector as text another tool splits back into the same words: a POSIX shell
// command line (process-compose runs `command` through bash -c) and a systemd command line
// (systemd.syntax: quotes, C escapes, %-specifiers and $-variables).

/** Words a POSIX shell reads back unchanged without quotes. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell: as it is when that is safe, else in single quotes ('\'' for a quote). */
export function shellWord(word: string): string {
  if (word.length > 0 && SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** An argument vector as one POSIX shell command line. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}

/** Characters systemd's C unescaping needs written as escapes inside a quoted word. */
const SYSTEMD_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The escapes and doubled `%` of a quoted systemd word, without the quotes. */
function systemdEscaped(value: string): string {
  return value
    .replace(/[\\"\n\r\t]/g, (c) => SYSTEMD_ESCAPES[c] ?? c)
    // eslint-disable-next-line no-control-regex -- the control characters are what is escaped here
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/%/g, '%%');
}

/**
 * One word of an ExecStart=/ExecStop= line: always double-quoted (so a lone `;` is an argument,
 * not a separator), with C escapes, `%%` for a percent sign and `$$` for a dollar sign (systemd
 * would otherwise substitute a variable).
 */
export function systemdExecWord(word: string): string {
  return `"${systemdEscaped(word).replace(/\$/g, '$$$$')}"`;
}

/** An argument vector as a systemd command line. */
export function systemdExecLine(argv: readonly string[]): string {
  return argv.map(systemdExecWord).join(' ');
}

/** One Environment= assignment, quoted: systemd does not substitute variables there, so `$` stays as it is. */
export function systemdEnvAssignment(name: string, value: string): string {
  return `"${systemdEscaped(`${name}=${value}`)}"`;
}

/** A path in a setting that takes no quotes (WorkingDirectory=, EnvironmentFile=): only `%` is special. */
export function systemdPath(value: string): string {
  return value.replace(/%/g, '%%');
}

/** Whether systemd takes `name` as an environment variable name (letters, digits, `_`, not starting with a digit). */
export function systemdEnvNameOk(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
