// Tests of the process table, start times and liveness against real processes on this machine (Linux).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import {
  isProcessAlive,
  parseWin32StartTime,
  processStartTime,
  readProcessTable,
  readProcessTableSync,
  win32StartTimeCommand,
} from '../../../electron/core/platform/process-table.js';

const linuxOnly = process.platform !== 'linux' && 'reads /proc: Linux only';
const NO_SUCH_PID = 2 ** 22 + 12345; // above Linux's largest pid_max (2^22)

const children: ChildProcess[] = [];

/** Spawns a process and remembers it so afterEach ends it by its pid. */
function start(command: string, args: string[], options: Parameters<typeof spawn>[2] = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  children.push(child);
  assert.ok(child.pid, `spawn ${command} gave no pid`);
  return child;
}

/** Spawns a Node process that idles until killed. */
function startIdle(options: Parameters<typeof spawn>[2] = {}): ChildProcess {
  return start(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], options);
}

/** Resolves when child exits; rejects after timeoutMs. */
async function exited(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error(`pid ${child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
  try {
    await once(child, 'exit', { signal: ac.signal });
  } finally {
    clearTimeout(timer);
  }
}

/** Polls condition until it holds; rejects after timeoutMs (for states that have no event). */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited(child);
    }
  }
});

test('the table holds this process with its ppid and pgid', { skip: linuxOnly }, async () => {
  const table = await readProcessTable();
  const self = table.find((p) => p.pid === process.pid);
  assert.ok(self, 'own pid missing from the table');
  assert.equal(self.ppid, process.ppid);
  const pgid = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(process.pid)], { encoding: 'utf8' }).trim());
  assert.equal(self.pgid, pgid);
  assert.ok(table.length > 2);
  assert.ok(table.every((p) => Number.isInteger(p.pid) && p.pid > 0 && p.startTime !== null));
});

test('a detached child leads its own group; the sync table agrees', { skip: linuxOnly }, async () => {
  const child = startIdle({ detached: true });
  const entry = (await readProcessTable()).find((p) => p.pid === child.pid);
  assert.deepEqual(
    { ppid: entry?.ppid, pgid: entry?.pgid },
    { ppid: process.pid, pgid: child.pid },
  );
  const syncEntry = readProcessTableSync().find((p) => p.pid === child.pid);
  assert.deepEqual(
    { ppid: syncEntry?.ppid, pgid: syncEntry?.pgid, startTime: syncEntry?.startTime },
    { ppid: entry?.ppid, pgid: entry?.pgid, startTime: entry?.startTime },
  );
});

test('the ps path (used on macOS) reads the same table with procps', { skip: linuxOnly }, async () => {
  const self = (await readProcessTable('darwin')).find((p) => p.pid === process.pid);
  assert.equal(self?.ppid, process.ppid);
  const fromProc = await processStartTime(process.pid, 'linux');
  const fromPs = await processStartTime(process.pid, 'darwin');
  assert.ok(fromProc !== null && fromPs !== null);
  assert.ok(Math.abs(fromPs - fromProc) < 2000, `ps ${fromPs} vs /proc ${fromProc}`);
  assert.equal(await processStartTime(NO_SUCH_PID, 'darwin'), null);
});

test('processStartTime of this process matches its uptime and is stable', { skip: linuxOnly }, async () => {
  const first = await processStartTime(process.pid);
  const second = await processStartTime(process.pid);
  assert.ok(first !== null);
  assert.equal(second, first);
  const expected = Date.now() - process.uptime() * 1000;
  assert.ok(Math.abs(first - expected) < 5000, `start ${first} vs expected ${expected}`);
});

test('a child is alive until killed and reaped', async () => {
  const child = startIdle();
  const pid = child.pid!;
  assert.equal(isProcessAlive(pid), true);
  const started = await processStartTime(pid);
  assert.ok(started !== null && Math.abs(started - Date.now()) < 10_000);
  process.kill(pid, 'SIGTERM');
  await exited(child);
  assert.equal(isProcessAlive(pid), false);
  assert.equal(await processStartTime(pid), null);
});

test('a pid that does not exist is not alive and has no start time', async () => {
  assert.equal(isProcessAlive(NO_SUCH_PID), false);
  assert.equal(await processStartTime(NO_SUCH_PID), null);
  assert.equal(isProcessAlive(0), false);
  assert.equal(isProcessAlive(-1), false);
  assert.equal(await processStartTime(0), null);
});

test('a zombie is not alive although kill(pid, 0) succeeds', { timeout: 20_000, skip: linuxOnly || (!existsSync('/usr/bin/perl') && 'needs perl') }, async () => {
  // perl forks a child that exits at once and does not reap it until a line arrives on stdin.
  const parent = start('/usr/bin/perl', ['-e', '$| = 1; my $k = fork(); exit 0 if $k == 0; print "$k\\n"; <STDIN>; waitpid($k, 0);'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
  const zombie = Number(line.toString().trim());
  assert.ok(zombie > 0);
  try {
    await until(() => readProcessTableSync().find((p) => p.pid === zombie)?.state === 'Z', `pid ${zombie} to become a zombie`);
    assert.doesNotThrow(() => process.kill(zombie, 0));
    assert.equal(isProcessAlive(zombie), false);
    assert.equal(isProcessAlive(zombie, 'darwin'), true, 'the kill(0) check alone calls a zombie alive');
  } finally {
    parent.stdin!.end('\n');
    await exited(parent);
  }
  assert.equal(isProcessAlive(zombie), false);
});

test('readProcessTable refuses win32 with a clear message', async () => {
  await assert.rejects(readProcessTable('win32'), /taskkill \/T/);
});

test('win32StartTimeCommand asks PowerShell for the UTC creation time', () => {
  const { command, args } = win32StartTimeCommand(4242);
  assert.equal(command, 'powershell.exe');
  assert.deepEqual(args.slice(0, 3), ['-NoProfile', '-NonInteractive', '-Command']);
  assert.match(args[3] ?? '', /Get-CimInstance Win32_Process -Filter 'ProcessId=4242'/);
  assert.match(args[3] ?? '', /CreationDate\.ToUniversalTime\(\)\.ToString\('o'\)/);
  assert.throws(() => win32StartTimeCommand(1.5), /not a process id/);
});

test('parseWin32StartTime reads round-trip timestamps', () => {
  assert.equal(parseWin32StartTime('2026-11-22T12:34:19.1234567Z\r\n'), Date.UTC(2026, 10, 22, 12, 34, 19, 123));
  assert.equal(parseWin32StartTime('\uFEFF2026-11-22T12:34:19Z'), Date.UTC(2026, 10, 22, 12, 34, 19));
  assert.equal(parseWin32StartTime('2026-11-22T13:34:19.5+01:00'), Date.UTC(2026, 10, 22, 12, 34, 19, 500));
  assert.equal(parseWin32StartTime('2026-11-22T10:04:19.999-02:30'), Date.UTC(2026, 10, 22, 12, 34, 19, 999));
  assert.equal(parseWin32StartTime(''), null);
  assert.equal(parseWin32StartTime('  \r\n'), null);
  assert.throws(() => parseWin32StartTime('Get-CimInstance : access denied'), /malformed process creation time/);
});
