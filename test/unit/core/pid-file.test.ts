// Unit tests for PID files: parsing (ours, legacy, invalid), write/read/remove on real files, and commandLine quoting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { commandLine, parsePidFile, readPidFile, removePidFile, writePidFile, type PidRecord } from '../../../electron/core/pid-file.js';
import { tempDir } from '../../helpers/temp-dir.js';

const record: PidRecord = {
  pid: 4242,
  processStartTime: 1_700_000_000_123,
  command: 'python3 agent.py',
  name: 'researcher',
  startedAt: 1_700_000_000_500,
  logs: { stdout: '/data/logs/researcher.out.log', stderr: '/data/logs/researcher.err.log' },
};

test('parsePidFile reads our JSON record, with or without logs and a start time', () => {
  assert.deepEqual(parsePidFile(JSON.stringify(record)), { kind: 'record', record });
  const minimal = { pid: 7, processStartTime: null, command: 'x', name: 'a', startedAt: 1 };
  assert.deepEqual(parsePidFile(`  ${JSON.stringify(minimal)}\n`), { kind: 'record', record: minimal });
});

test('parsePidFile reads an older tool\'s bare number', () => {
  assert.deepEqual(parsePidFile('12345'), { kind: 'legacy', pid: 12345 });
  assert.deepEqual(parsePidFile('  987\r\n'), { kind: 'legacy', pid: 987 });
});

test('parsePidFile refuses pid 0 and text that is neither JSON nor a number', () => {
  assert.deepEqual(parsePidFile('0'), { kind: 'invalid', reason: '0 is not a process id' });
  assert.deepEqual(parsePidFile('99999999999999999999'), { kind: 'invalid', reason: '99999999999999999999 is not a process id' });
  for (const text of ['', 'pid=12', '{"pid": 12', '12 34']) {
    const parsed = parsePidFile(text);
    assert.equal(parsed.kind, 'invalid', JSON.stringify(text));
    if (parsed.kind === 'invalid') assert.match(parsed.reason, /^not JSON nor a number \(/);
  }
});

test('parsePidFile refuses JSON of the wrong shape, naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...record, pid: '4242' }, /^pid: /],
    [{ ...record, pid: -1 }, /^pid: /],
    [{ ...record, pid: 1.5 }, /^pid: /],
    [{ pid: 1, processStartTime: null, command: 'x', startedAt: 1 }, /^name: /],
    [{ ...record, logs: { stdout: 'a' } }, /^logs\.stderr: /],
  ];
  for (const [json, reason] of cases) {
    const parsed = parsePidFile(JSON.stringify(json));
    assert.equal(parsed.kind, 'invalid', JSON.stringify(json));
    if (parsed.kind === 'invalid') assert.match(parsed.reason, reason);
  }
  assert.equal(parsePidFile('-5').kind, 'invalid');
  assert.equal(parsePidFile('[4242]').kind, 'invalid');
});

test('writePidFile then readPidFile gives the record back; a missing file reads as null', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'run', 'researcher.pid');
    assert.equal(await readPidFile(file), null);
    await writePidFile(file, record);
    assert.deepEqual(await readPidFile(file), { kind: 'record', record });
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), record);
    await writePidFile(file, { ...record, pid: 5151 });
    assert.deepEqual(await readPidFile(file), { kind: 'record', record: { ...record, pid: 5151 } });
    assert.deepEqual(await readdir(path.dirname(file)), ['researcher.pid'], 'no temp files left');
  } finally {
    await cleanup();
  }
});

test('removePidFile removes the file and may be called again', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'a.pid');
    await writePidFile(file, record);
    await removePidFile(file);
    assert.deepEqual(await readdir(dir), []);
    await removePidFile(file);
    assert.equal(await readPidFile(file), null);
  } finally {
    await cleanup();
  }
});

test('commandLine quotes only the parts that need it', () => {
  assert.equal(commandLine('python3', ['-m', 'http.server', '--bind=127.0.0.1', '8000']), 'python3 -m http.server --bind=127.0.0.1 8000');
  assert.equal(commandLine('/usr/bin/node', ['./a b.js', '']), '/usr/bin/node "./a b.js" ""');
  assert.equal(commandLine('C:\\Program Files\\x.exe', []), '"C:\\Program Files\\x.exe"');
  assert.equal(commandLine('echo', ['say "hi"', '$HOME', 'a;b']), 'echo "say \\"hi\\"" "$HOME" "a;b"');
  assert.equal(commandLine('llama-server', ['-m', 'models/q4@v1,x+y%']), 'llama-server -m models/q4@v1,x+y%');
});
