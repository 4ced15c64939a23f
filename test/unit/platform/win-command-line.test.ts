// Windows command lines: argv → one string that the C runtime (CommandLineToArgvW) splits back into
// the same argv, and .cmd/.bat files through cmd.exe. The reference parser below implements the
// rules of Microsoft's "Parsing C++ command-line arguments" and is first checked against that
// page's own examples; the encoder is then checked against it. What real Windows does is checked
// by the Wine lane (test/windows/), which runs node.exe with these command lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  comSpec,
  escapeBatchArg,
  isBatchFile,
  joinWindowsArgv,
  quoteWindowsArg,
  windowsCommandLine,
} from '../../../electron/core/platform/win-command-line.js';

/**
 * The C runtime's rules for the arguments after the program name: whitespace separates; "…" groups;
 * 2n backslashes before a quote give n backslashes and the quote delimits; 2n+1 give n and a
 * literal quote; other backslashes are literal; "" inside a quoted run is a literal quote (the
 * behaviour of the runtime since 2008).
 */
function parseArgs(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    let arg = '';
    let quoted = false;
    while (i < text.length) {
      const ch = text[i]!;
      if (!quoted && (ch === ' ' || ch === '\t')) break;
      if (ch === '\\') {
        let n = 0;
        while (text[i] === '\\') {
          n++;
          i++;
        }
        arg += '\\'.repeat(text[i] === '"' ? Math.floor(n / 2) : n);
        if (text[i] === '"' && n % 2 === 1) {
          arg += '"'; // an escaped quote
          i++;
        } // an even run: the quote that follows is handled as a quote below
        continue;
      }
      if (ch === '"') {
        if (quoted && text[i + 1] === '"') {
          arg += '"';
          i += 2;
        } else {
          quoted = !quoted;
          i++;
        }
        continue;
      }
      arg += ch;
      i++;
    }
    args.push(arg);
  }
  return args;
}

/** The program part: up to whitespace, or between quotes, no escapes; the rest goes to parseArgs. */
function parseCommandLine(line: string): string[] {
  let program: string;
  let rest: string;
  if (line.startsWith('"')) {
    const end = line.indexOf('"', 1);
    program = line.slice(1, end);
    rest = line.slice(end + 1);
  } else {
    const end = line.search(/[ \t]/);
    program = end === -1 ? line : line.slice(0, end);
    rest = end === -1 ? '' : line.slice(end);
  }
  return [program, ...parseArgs(rest)];
}

test('the reference parser gives the results of Microsoft\'s table ("Parsing C++ command-line arguments")', () => {
  const table: [string, string[]][] = [
    ['"abc" d e', ['abc', 'd', 'e']],
    ['a\\\\b d"e f"g h', ['a\\\\b', 'de fg', 'h']],
    ['a\\\\\\"b c d', ['a\\"b', 'c', 'd']],
    ['a\\\\\\\\"b c" d e', ['a\\\\b c', 'd', 'e']],
    ['a"b"" c d', ['ab" c d']],
  ];
  for (const [input, expected] of table) assert.deepEqual(parseArgs(input), expected, input);
});

test('quoteWindowsArg: known encodings', () => {
  const table: [string, string][] = [
    ['plain', 'plain'],
    ['', '""'],
    ['a b', '"a b"'],
    ['tab\there', '"tab\there"'],
    ['C:\\Program Files\\x', '"C:\\Program Files\\x"'],
    ['C:\\dir\\', 'C:\\dir\\'], // no space, no quote: backslashes stay as they are
    ['C:\\my dir\\', '"C:\\my dir\\\\"'], // trailing backslashes doubled before the closing quote
    ['say "hi"', '"say \\"hi\\""'],
    ['a\\"b', '"a\\\\\\"b"'], // a backslash before a quote: doubled, plus the quote's own escape
    ['\\\\server\\share', '\\\\server\\share'],
    ['--name=a b', '"--name=a b"'],
    ['naïve ✓', '"naïve ✓"'],
  ];
  for (const [arg, expected] of table) assert.equal(quoteWindowsArg(arg), expected, JSON.stringify(arg));
});

test('joinWindowsArgv: the C runtime splits the line back into the same argv', () => {
  const argvs: string[][] = [
    ['C:\\Program Files\\nodejs\\node.exe', 'app.js', '--port', '1'],
    ['C:\\tools\\x.exe', '', 'a b', 'a"b', 'a\\"b', 'ends\\', 'ends with space\\', '\\\\', '"', '""', 'a\\\\\\"', '\t', 'é ü 中'],
    ['node.exe', '-e', 'console.log("a \\" b")'],
  ];
  for (const argv of argvs) {
    const [program, ...args] = argv as [string, ...string[]];
    assert.deepEqual(parseCommandLine(joinWindowsArgv(program, args)), argv, JSON.stringify(argv));
  }
});

test('the program name is quoted only when it has whitespace, and a quote in it is refused', () => {
  assert.equal(joinWindowsArgv('C:\\a\\b.exe', ['x']), 'C:\\a\\b.exe x');
  assert.equal(joinWindowsArgv('C:\\Program Files\\b.exe', []), '"C:\\Program Files\\b.exe"');
  assert.throws(() => joinWindowsArgv('C:\\a"b.exe', []), /double quote/);
});

/**
 * A model of what cmd.exe does with `/d /s /c "…"` before it runs a batch file: /s drops the first
 * and the last quote; then a caret outside quotes escapes the next character and is removed, an
 * unescaped quote toggles quoting. It is a model of the documented rules, not cmd.exe itself.
 */
function cmdFirstPass(commandLine: string): string {
  const after = commandLine.slice(commandLine.indexOf('/c ') + 3);
  const inner = after.slice(after.indexOf('"') + 1, after.lastIndexOf('"'));
  let out = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '^' && !quoted) {
      out += inner[i + 1] ?? '';
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    out += ch;
  }
  return out;
}

test('a .cmd file runs through cmd.exe /d /s /c, with its arguments escaped for cmd.exe', () => {
  const env = { ComSpec: 'C:\\Windows\\system32\\cmd.exe' };
  const line = windowsCommandLine('C:\\Users\\ada\\AppData\\Roaming\\npm\\serve.cmd', ['--port', '8080', 'a b', 'x&y', '50%', '%PATH%', '(1)', 'a|b', 'a^b', '!x!', 'a,b'], env);
  assert.equal(line.application, 'C:\\Windows\\system32\\cmd.exe');
  assert.equal(
    line.commandLine,
    'C:\\Windows\\system32\\cmd.exe /d /s /c ""C:\\Users\\ada\\AppData\\Roaming\\npm\\serve.cmd" --port 8080 ^"a b^" ^"x^&y^" ^"50^%^" ^"^%PATH^%^" ^"^(1^)^" ^"a^|b^" ^"a^^b^" ^"^!x^!^" ^"a,b^""',
  );
  // after cmd.exe's first pass, the batch file sees each argument quoted for the C runtime (a shim passes %* on)
  const seen = cmdFirstPass(line.commandLine);
  assert.deepEqual(parseCommandLine(seen), ['C:\\Users\\ada\\AppData\\Roaming\\npm\\serve.cmd', '--port', '8080', 'a b', 'x&y', '50%', '%PATH%', '(1)', 'a|b', 'a^b', '!x!', 'a,b']);
});

test('a batch file in a folder with spaces or & is quoted; .BAT counts too', () => {
  const line = windowsCommandLine('C:\\R&D tools\\run.BAT', [], { SystemRoot: 'D:\\Win' });
  assert.equal(line.application, 'D:\\Win\\System32\\cmd.exe');
  assert.equal(line.commandLine, 'D:\\Win\\System32\\cmd.exe /d /s /c ""C:\\R&D tools\\run.BAT""');
  assert.ok(isBatchFile('x.cmd') && isBatchFile('X.Bat') && !isBatchFile('x.exe') && !isBatchFile('cmd'));
});

test('arguments cmd.exe cannot carry to a batch file are refused with a reason', () => {
  for (const bad of ['say "hi"', 'two\nlines', 'cr\r']) {
    assert.throws(() => escapeBatchArg(bad), (err: Error & { code?: string }) => err.code === 'invalid-definition' && /cmd\.exe has no safe way/.test(err.message), JSON.stringify(bad));
  }
  assert.equal(escapeBatchArg(''), '^"^"');
  assert.equal(escapeBatchArg('C:\\my dir\\'), '^"C:\\my dir\\\\^"');
});

test('a program that is not a batch file is its own application', () => {
  assert.deepEqual(windowsCommandLine('C:\\Program Files\\nodejs\\node.exe', ['app.js', '--title', 'My agent'], {}), {
    application: 'C:\\Program Files\\nodejs\\node.exe',
    commandLine: '"C:\\Program Files\\nodejs\\node.exe" app.js --title "My agent"',
  });
});

test('comSpec: %ComSpec% in any case, else %SystemRoot%\\System32\\cmd.exe, else C:\\Windows', () => {
  assert.equal(comSpec({ COMSPEC: 'X:\\cmd.exe' }), 'X:\\cmd.exe');
  assert.equal(comSpec({ systemroot: 'E:\\W' }), 'E:\\W\\System32\\cmd.exe');
  assert.equal(comSpec({}), 'C:\\Windows\\System32\\cmd.exe');
});
