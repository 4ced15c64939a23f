// Quoting argument vectors for other tools: a POSIX shell line read back by a real bash, and systemd
// words as systemd.syntax defines them (systemd's own parser reads them in export-systemd.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { TRICKY_WORDS } from '../../../helpers/export-tools.js';
import { shellLine, shellWord, systemdEnvAssignment, systemdExecLine, systemdExecWord, systemdPath } from '../../../../electron/app/export/quoting.js';

test('a shell line is read back by bash as the same words', () => {
  const line = shellLine(['printf', '%s\\0', ...TRICKY_WORDS]);
  const out = execFileSync('bash', ['-c', line], { encoding: 'utf8' });
  assert.deepEqual(out.split('\0').slice(0, -1), TRICKY_WORDS);
});

test('a shell word is left bare only when nothing in it is special', () => {
  assert.equal(shellWord('server.py'), 'server.py');
  assert.equal(shellWord('--port=8080'), '--port=8080');
  assert.equal(shellWord('/usr/bin/python3'), '/usr/bin/python3');
  assert.equal(shellWord('a b'), "'a b'");
  assert.equal(shellWord("it's"), "'it'\\''s'");
  assert.equal(shellWord(''), "''");
  assert.equal(shellWord('$HOME'), "'$HOME'");
});

test('a systemd exec word is double-quoted with C escapes, %% and $$', () => {
  assert.equal(systemdExecWord('plain'), '"plain"');
  assert.equal(systemdExecWord('two words'), '"two words"');
  assert.equal(systemdExecWord('say "hi"'), '"say \\"hi\\""');
  assert.equal(systemdExecWord('a\\b'), '"a\\\\b"');
  assert.equal(systemdExecWord('$HOME'), '"$$HOME"');
  assert.equal(systemdExecWord('100%'), '"100%%"');
  assert.equal(systemdExecWord('line\nbreak'), '"line\\nbreak"');
  assert.equal(systemdExecWord('bell\u0007'), '"bell\\x07"');
  assert.equal(systemdExecWord(';'), '";"', 'a quoted semicolon is an argument, not a separator');
  assert.equal(systemdExecLine(['/bin/echo', 'a b']), '"/bin/echo" "a b"');
});

test('systemd environment assignments keep $ (no substitution there) and double %', () => {
  assert.equal(systemdEnvAssignment('A', 'x y'), '"A=x y"');
  assert.equal(systemdEnvAssignment('B', '$PATH'), '"B=$PATH"');
  assert.equal(systemdEnvAssignment('C', '50% "q"'), '"C=50%% \\"q\\""');
  assert.equal(systemdPath('/srv/100% sure'), '/srv/100%% sure');
});
