// Unit tests for the /proc text parsers, on recorded samples and on this process's own /proc/self/stat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseBootTime, parseProcStat, startTimeMs } from '../../../electron/core/platform/proc-stat.js';

const OLLAMA_STAT =
  '48213 (ollama) S 48190 48213 48190 0 -1 4194560 15236 0 12 0 412 97 0 0 20 0 14 0 2286431 ' +
  '2748383232 102413 18446744073709551615 1 1 0 0 0 0 0 0 1073745152 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n';

const WEIRD_STAT =
  '777 (my (weird) proc) R 1 777 777 34816 777 4194304 93 0 0 0 0 0 0 0 20 0 1 0 9001 ' +
  '2879488 245 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';

const ZOMBIE_STAT =
  '5120 (python3 ) Z 5001 5001 4900 0 -1 4227084 2311 0 0 0 6 2 0 0 20 0 1 0 123456 ' +
  '0 0 18446744073709551615 0 0 0 0 0 0 0 16781312 2 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';

const PROC_STAT = [
  'cpu  4177 0 1963 51069 145 0 33 31 0 0',
  'cpu0 1608 0 857 26185 16 0 10 14 0 0',
  'intr 612345 0 9 0 0',
  'ctxt 1234567',
  'btime 1795354420',
  'processes 2931',
  'procs_running 1',
  '',
].join('\n');

test('parses an ordinary /proc/<pid>/stat', () => {
  assert.deepEqual(parseProcStat(OLLAMA_STAT), {
    pid: 48213,
    comm: 'ollama',
    state: 'S',
    ppid: 48190,
    pgid: 48213,
    sid: 48190,
    startTicks: 2286431,
  });
});

test('a comm with spaces and parentheses ends at the last ")"', () => {
  const stat = parseProcStat(WEIRD_STAT);
  assert.equal(stat.comm, 'my (weird) proc');
  assert.equal(stat.pid, 777);
  assert.equal(stat.state, 'R');
  assert.equal(stat.ppid, 1);
  assert.equal(stat.pgid, 777);
  assert.equal(stat.sid, 777);
  assert.equal(stat.startTicks, 9001);
});

test('a zombie keeps its state letter and a trailing space in its comm', () => {
  const stat = parseProcStat(ZOMBIE_STAT);
  assert.equal(stat.comm, 'python3 ');
  assert.equal(stat.state, 'Z');
  assert.equal(stat.startTicks, 123456);
});

test('malformed text throws a clear Error', () => {
  assert.throws(() => parseProcStat(''), /malformed \/proc\/<pid>\/stat/);
  assert.throws(() => parseProcStat('123 ollama S 1 2 3'), /no "\(comm\)"/);
  assert.throws(() => parseProcStat('abc (x) S 1 2 3'), /field pid/);
  assert.throws(() => parseProcStat('12 (x) 7 1 2 3'), /state/);
  assert.throws(() => parseProcStat('12 (x) S 1 2 3 4 5'), /field starttime is missing/);
  assert.throws(() => parseProcStat('12 (x) S one 2 3'), /field ppid is "one"/);
});

test('parseBootTime reads the btime line', () => {
  assert.equal(parseBootTime(PROC_STAT), 1795354420);
  assert.throws(() => parseBootTime('cpu 1 2 3\n'), /no "btime/);
});

test('startTimeMs is boot time plus ticks, an integer, deterministic', () => {
  assert.equal(startTimeMs(2286431, 1795354420), 1795354420_000 + 22864310);
  assert.equal(startTimeMs(3, 1000, 1000), 1_000_003);
  assert.equal(startTimeMs(1, 0, 3), 333);
  assert.ok(Number.isInteger(startTimeMs(7, 5, 3)));
  assert.equal(startTimeMs(7, 5, 3), startTimeMs(7, 5, 3));
  assert.throws(() => startTimeMs(1, 1, 0), /positive/);
});

test('parses the real /proc/self/stat of this process', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
  assert.equal(stat.pid, process.pid);
  assert.equal(stat.ppid, process.ppid);
  assert.equal(stat.state, 'R');
  assert.ok(stat.startTicks > 0);
  const boot = parseBootTime(readFileSync('/proc/stat', 'utf8'));
  const started = startTimeMs(stat.startTicks, boot);
  const expected = Date.now() - process.uptime() * 1000;
  assert.ok(Math.abs(started - expected) < 5000, `start ${started} vs expected ${expected}`);
});
