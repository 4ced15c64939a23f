// Command lines are split into words exactly as sh would (quotes, backslashes), and lines that need a
// shell (variables, operators, globs, assignments) run through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandOfLine, splitShellWords } from '../../../../electron/app/import/shell-words.js';

test('plain lines are split like sh splits them: single and double quotes, backslashes, empty words', () => {
  assert.deepEqual(splitShellWords('gunicorn app:server --workers 2'), ['gunicorn', 'app:server', '--workers', '2']);
  assert.deepEqual(splitShellWords(`'/opt/Ollama Models/bin/ollama' serve`), ['/opt/Ollama Models/bin/ollama', 'serve']);
  assert.deepEqual(splitShellWords(`python3 -c 'import time; print("tick")'`), ['python3', '-c', 'import time; print("tick")']);
  assert.deepEqual(splitShellWords(`echo "a \\"quoted\\" word" it\\'s`), ['echo', 'a "quoted" word', "it's"]);
  assert.deepEqual(splitShellWords(`node x.js "" --name=a"b c"d`), ['node', 'x.js', '', '--name=ab cd']);
  assert.deepEqual(splitShellWords('  spaced\tout  '), ['spaced', 'out']);
});

test('lines with shell syntax are left to the shell: variables, operators, globs, redirections, assignments, open quotes', () => {
  for (const line of ['web --port $PORT', 'echo "${HOME}"', 'a && b', 'a | b', 'a; b', 'ls *.log', 'a > out', 'FOO=1 node x', 'echo `date`', 'cd ~', "echo 'open", 'a # comment', '']) {
    assert.equal(splitShellWords(line), null, line);
  }
  assert.deepEqual(splitShellWords('node x.js --flag=a=b'), ['node', 'x.js', '--flag=a=b'], 'an = after the first word is no assignment');
});

test('commandOfLine: sh -c on POSIX, cmd.exe on Windows, or the shell a file names', () => {
  assert.deepEqual(commandOfLine('node server.js', 'linux'), { command: 'node', args: ['server.js'], viaShell: false });
  assert.deepEqual(commandOfLine('a && b', 'linux'), { command: 'sh', args: ['-c', 'a && b'], viaShell: true });
  assert.deepEqual(commandOfLine('a && b', 'win32'), { command: 'cmd.exe', args: ['/d', '/s', '/c', 'a && b'], viaShell: true });
  assert.deepEqual(commandOfLine('a | b', 'linux', { command: 'zsh', argument: '-c' }), { command: 'zsh', args: ['-c', 'a | b'], viaShell: true });
});
