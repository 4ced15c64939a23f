// An argv as one Windows command line. Windows passes a process one string; the program's C runtime
// (or CommandLineToArgvW) splits it again. quoteWindowsArg writes each argument so that those
// rules give it back unchanged; `.cmd`/`.bat` files run through cmd.exe, whose own parsing comes
// first, so their arguments are quoted for the runtime and then escaped for cmd.exe.
import path from 'node:path';
import { AgentTrayError } from '../errors.js';

/** What CreateProcessW gets: the program to run (lpApplicationName) and the whole command line. */
export interface WindowsCommandLine {
  application: string;
  commandLine: string;
}

/** The characters that make the runtime split or unquote an argument: it is quoted when it holds one. */
const NEEDS_QUOTES = /[ \t\n\v"]/;

/** cmd.exe's special characters, each escaped with `^` outside quotes. */
const CMD_SPECIAL = /[()%!^"<>&|]/g;

/** Characters that cmd.exe (or a batch file's %1) takes as separators or operators: such an argument is quoted too. */
const CMD_NEEDS_QUOTES = /[ \t\v()%!^<>&|,;=]/;

/**
 * One argument for the Microsoft C runtime's parser (and CommandLineToArgvW): quoted when it is
 * empty or holds whitespace or a quote; inside quotes a run of backslashes is doubled when a quote
 * follows it (the argument's own quote, escaped as \", or the closing one), and left alone elsewhere.
 */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !NEEDS_QUOTES.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    out += ch === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${ch}`;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/** The program part (argv[0]): the runtime takes it up to the next space, or between quotes, without escapes. */
export function quoteWindowsProgram(program: string): string {
  if (program === '' || program.includes('"')) {
    throw new AgentTrayError('invalid-definition', `The program path ${JSON.stringify(program)} cannot be run on Windows: ${program === '' ? 'it is empty' : 'it contains a double quote'}`, {
      hint: 'Set "command" to the path of an existing program',
      details: { command: program },
    });
  }
  return /[ \t]/.test(program) ? `"${program}"` : program;
}

/** argv (program first) as one command line that the C runtime splits back into the same argv. */
export function joinWindowsArgv(program: string, args: readonly string[]): string {
  return [quoteWindowsProgram(program), ...args.map(quoteWindowsArg)].join(' ');
}

/** Whether `file` is run by cmd.exe (a batch file): `.cmd` or `.bat`, in any case. */
export function isBatchFile(file: string): boolean {
  return /\.(cmd|bat)$/i.test(file);
}

/**
 * One argument of a batch file: refused when cmd.exe cannot carry it (a double quote or a line
 * break: cmd.exe has no escape for either inside a batch file's arguments); quoted when cmd.exe or
 * the batch's %1 would split it or act on it; then every special character escaped with `^`,
 * quotes included, so that cmd.exe's first pass (which removes the carets) hands the batch file the
 * quoted argument, and `%VAR%` is not expanded (`^%` leaves no variable name to expand).
 */
export function escapeBatchArg(arg: string): string {
  if (/["\r\n\0]/.test(arg)) {
    throw new AgentTrayError('invalid-definition', `The argument ${JSON.stringify(arg)} cannot be passed to a .cmd or .bat file: cmd.exe has no safe way to pass a double quote or a line break`, {
      hint: 'Remove the quote or line break from "args", or run the program the batch file runs directly',
      details: { arg },
    });
  }
  const quoted = arg === '' || CMD_NEEDS_QUOTES.test(arg) ? `"${arg.replace(/(\\+)$/, '$1$1')}"` : arg;
  return quoted.replace(CMD_SPECIAL, '^$&');
}

/** cmd.exe: %ComSpec% when the environment has it, else %SystemRoot%\System32\cmd.exe. */
export function comSpec(env: Record<string, string | undefined>): string {
  const find = (name: string) => Object.entries(env).find(([k, v]) => k.toUpperCase() === name && v)?.[1];
  return find('COMSPEC') ?? path.win32.join(find('SYSTEMROOT') ?? 'C:\\Windows', 'System32', 'cmd.exe');
}

/**
 * How CreateProcessW runs `executable` (a full path) with `args`: a program directly; a batch file
 * through `cmd.exe /d /s /c "…"` (/d: no AutoRun commands; /s: cmd.exe removes just the outer
 * quotes and runs the rest as it stands).
 */
export function windowsCommandLine(executable: string, args: readonly string[], env: Record<string, string | undefined>): WindowsCommandLine {
  if (!isBatchFile(executable)) return { application: executable, commandLine: joinWindowsArgv(executable, args) };
  const cmd = comSpec(env);
  // the batch file's path always in quotes: `&`, `(` or `,` in a folder name are then plain characters
  const inner = [`"${quoteWindowsProgram(executable).replace(/^"|"$/g, '')}"`, ...args.map(escapeBatchArg)].join(' ');
  return { application: cmd, commandLine: `${quoteWindowsProgram(cmd)} /d /s /c "${inner}"` };
}
