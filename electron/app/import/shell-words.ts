// Command lines of Procfiles and process-compose files are shell lines. A line that uses no shell
// feature (no variables, pipes, redirections, globs, `&&`, `~`) is split into words here exactly as
// sh would split it, quotes and backslashes included, and runs without a shell in between; any
// other line runs through the platform's shell, as the tool it comes from would run it.

/** Characters that, unquoted, make a line need a shell: expansions, operators, globs, grouping, comments. */
const SHELL_SYNTAX = new Set(['$', '`', '|', '&', ';', '<', '>', '(', ')', '*', '?', '[', ']', '{', '}', '#', '~', '\n']);

/** The words of `line` as sh splits them, or null when it uses shell syntax (or is empty, or its quotes do not close). */
export function splitShellWords(line: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return null;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
      continue;
    }
    if (c === '"') {
      const quoted = doubleQuoted(line, i + 1);
      if (!quoted) return null;
      word += quoted.text;
      inWord = true;
      i = quoted.end;
      continue;
    }
    if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined || next === '\n') return null; // a continuation: leave it to the shell
      word += next;
      inWord = true;
      i++;
      continue;
    }
    if (SHELL_SYNTAX.has(c)) return null;
    // VAR=value in front of the command is an assignment only a shell performs
    if (c === '=' && words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) return null;
    word += c;
    inWord = true;
  }
  if (inWord) words.push(word);
  return words.length > 0 ? words : null;
}

/** The text of a double-quoted string starting at `from` and the index of its closing quote; null when it expands something or does not close. */
function doubleQuoted(line: string, from: number): { text: string; end: number } | null {
  let text = '';
  for (let i = from; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '"') return { text, end: i };
    if (c === '$' || c === '`') return null;
    if (c === '\\' && i + 1 < line.length && '$`"\\'.includes(line[i + 1] as string)) {
      text += line[i + 1];
      i++;
      continue;
    }
    if (c === '\\' && line[i + 1] === '\n') return null;
    text += c;
  }
  return null;
}

/** The shell a line needs on `platform`: `sh -c LINE`, or `cmd.exe /d /s /c "LINE"` on Windows; `shell` overrides (process-compose's `shell:`). */
export function shellCommand(line: string, platform: NodeJS.Platform, shell?: { command: string; argument: string }): { command: string; args: string[] } {
  if (shell) return { command: shell.command, args: [shell.argument, line] };
  if (platform === 'win32') return { command: 'cmd.exe', args: ['/d', '/s', '/c', line] };
  return { command: 'sh', args: ['-c', line] };
}

/** A command line as a program and its arguments: split when it uses no shell syntax, else through the shell. */
export function commandOfLine(line: string, platform: NodeJS.Platform, shell?: { command: string; argument: string }): { command: string; args: string[]; viaShell: boolean } {
  const words = splitShellWords(line.trim());
  if (words && words[0]) return { command: words[0], args: words.slice(1), viaShell: false };
  return { ...shellCommand(line.trim(), platform, shell), viaShell: true };
}
