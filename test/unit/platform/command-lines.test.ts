// Unit tests for the command-line parsers: /proc/<pid>/cmdline, joining argv, and recorded Win32_Process JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinCommandLine, parseProcCmdline, parseWin32ProcessJson } from '../../../electron/core/platform/command-lines.js';

test('parseProcCmdline splits argv on NUL and drops the trailing NUL', () => {
  const buf = Buffer.from('/usr/bin/node\0/home/ada/agents/server.mjs\0--port\x003000\0with space\0', 'utf8');
  assert.deepEqual(parseProcCmdline(buf), ['/usr/bin/node', '/home/ada/agents/server.mjs', '--port', '3000', 'with space']);
});

test('parseProcCmdline keeps empty arguments and UTF-8', () => {
  assert.deepEqual(parseProcCmdline(Buffer.from('python3\0\0/home/jürgen/agent.py\0', 'utf8')), ['python3', '', '/home/jürgen/agent.py']);
});

test('parseProcCmdline gives one element for a process that rewrote its title without NULs', () => {
  assert.deepEqual(parseProcCmdline(Buffer.from('nginx: master process /usr/sbin/nginx -g daemon off;', 'utf8')), [
    'nginx: master process /usr/sbin/nginx -g daemon off;',
  ]);
});

test('parseProcCmdline gives null for the empty cmdline of a kernel thread or a zombie', () => {
  assert.equal(parseProcCmdline(Buffer.alloc(0)), null);
});

test('joinCommandLine joins with spaces and quotes parts with whitespace, empty parts and inner quotes', () => {
  assert.equal(joinCommandLine(['node', 'server.mjs', '--port', '3000']), 'node server.mjs --port 3000');
  assert.equal(joinCommandLine(['C:\\Program Files\\nodejs\\node.exe', 'C:\\agents\\a.mjs']), '"C:\\Program Files\\nodejs\\node.exe" C:\\agents\\a.mjs');
  assert.equal(joinCommandLine(['echo', '', 'tab\there']), 'echo "" "tab\there"');
  assert.equal(joinCommandLine(['say', 'he said "hi"', 'x"y']), 'say "he said \\"hi\\"" x"y');
  assert.equal(joinCommandLine([]), '');
});

// Recorded on Windows 11 with Windows PowerShell 5.1 (not elevated): `Get-CimInstance Win32_Process | Select-Object
// ProcessId,ParentProcessId,CommandLine,CreationDate | ConvertTo-Json -Compress`, shortened. Protected processes and
// other users' processes have a null CommandLine; the idle process has no CreationDate.
const PS51_ARRAY = String.raw`[{"ProcessId":0,"ParentProcessId":0,"CommandLine":null,"CreationDate":null},{"ProcessId":4,"ParentProcessId":0,"CommandLine":null,"CreationDate":"\/Date(1741940403123)\/"},{"ProcessId":144,"ParentProcessId":4,"CommandLine":null,"CreationDate":"\/Date(1741940398871)\/"},{"ProcessId":6284,"ParentProcessId":6180,"CommandLine":"C:\\WINDOWS\\Explorer.EXE","CreationDate":"\/Date(1741940431552)\/"},{"ProcessId":15872,"ParentProcessId":6284,"CommandLine":"\"C:\\Users\\Ada\\AppData\\Local\\Programs\\Ollama\\ollama.exe\" serve","CreationDate":"\/Date(1741941012904)\/"},{"ProcessId":20484,"ParentProcessId":18820,"CommandLine":"\"C:\\Program Files\\nodejs\\node.exe\" C:\\Users\\Ada\\agents\\server.mjs --port 3000","CreationDate":"\/Date(1741943517338)\/"}]`;

test('parseWin32ProcessJson reads a PowerShell 5.1 array with /Date(ms)/ times and null command lines', () => {
  assert.deepEqual(parseWin32ProcessJson(PS51_ARRAY), [
    { pid: 0, ppid: 0, commandLine: null, startTime: null },
    { pid: 4, ppid: 0, commandLine: null, startTime: 1741940403123 },
    { pid: 144, ppid: 4, commandLine: null, startTime: 1741940398871 },
    { pid: 6284, ppid: 6180, commandLine: 'C:\\WINDOWS\\Explorer.EXE', startTime: 1741940431552 },
    { pid: 15872, ppid: 6284, commandLine: '"C:\\Users\\Ada\\AppData\\Local\\Programs\\Ollama\\ollama.exe" serve', startTime: 1741941012904 },
    { pid: 20484, ppid: 18820, commandLine: '"C:\\Program Files\\nodejs\\node.exe" C:\\Users\\Ada\\agents\\server.mjs --port 3000', startTime: 1741943517338 },
  ]);
});

test('parseWin32ProcessJson reads the single object that ConvertTo-Json prints for one process', () => {
  const one = String.raw`{"ProcessId":20484,"ParentProcessId":18820,"CommandLine":"\"C:\\Program Files\\nodejs\\node.exe\" server.mjs","CreationDate":"\/Date(1741943517338)\/"}`;
  assert.deepEqual(parseWin32ProcessJson(`${one}\r\n`), [
    { pid: 20484, ppid: 18820, commandLine: '"C:\\Program Files\\nodejs\\node.exe" server.mjs', startTime: 1741943517338 },
  ]);
});

test('parseWin32ProcessJson reads PowerShell 7 ISO times with a local offset and 7 fraction digits', () => {
  // Recorded with PowerShell 7.4 on a machine in UTC+01:00.
  const ps7 = '[{"ProcessId":4,"ParentProcessId":0,"CommandLine":null,"CreationDate":"2025-03-14T09:20:03.1234567+01:00"},{"ProcessId":20484,"ParentProcessId":18820,"CommandLine":"node server.mjs","CreationDate":"2025-03-14T10:11:57.3389012+01:00"}]';
  assert.deepEqual(parseWin32ProcessJson(ps7), [
    { pid: 4, ppid: 0, commandLine: null, startTime: Date.UTC(2025, 2, 14, 8, 20, 3, 123) },
    { pid: 20484, ppid: 18820, commandLine: 'node server.mjs', startTime: Date.UTC(2025, 2, 14, 9, 11, 57, 338) },
  ]);
});

test('parseWin32ProcessJson reads a 5.1 DateTime serialized with its note properties', () => {
  const text = String.raw`{"ProcessId":7,"ParentProcessId":4,"CommandLine":"","CreationDate":{"value":"\/Date(1741940403123)\/","DisplayHint":2,"DateTime":"Friday, March 14, 2025 9:20:03 AM"}}`;
  assert.deepEqual(parseWin32ProcessJson(text), [{ pid: 7, ppid: 4, commandLine: null, startTime: 1741940403123 }]);
});

test('parseWin32ProcessJson reads no output (no such process) as none, and tolerates a BOM', () => {
  assert.deepEqual(parseWin32ProcessJson(''), []);
  assert.deepEqual(parseWin32ProcessJson('\r\n'), []);
  assert.equal(parseWin32ProcessJson(`\uFEFF${PS51_ARRAY}`).length, 6);
});

test('parseWin32ProcessJson rejects text that is not the expected JSON, saying so', () => {
  assert.throws(() => parseWin32ProcessJson('Get-CimInstance : Access denied'), /malformed Win32_Process JSON from PowerShell/);
  assert.throws(() => parseWin32ProcessJson('[{"ProcessId":"x","ParentProcessId":0}]'), /ProcessId is "x"/);
  assert.throws(() => parseWin32ProcessJson('[1]'), /malformed Win32_Process JSON/);
});
