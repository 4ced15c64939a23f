// No process escapes, on real processes: a daemon that double-forked and called setsid (out of its
// agent's tree and process group) is found by its marker variables, stopped as a straggler, and
// listed as an orphan of its agent when nothing supervises it; processes of another data directory
// or another agent are left alone. Every process started here is ended by its pid, also on failure.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { findMarkedProcesses } from '../../electron/core/platform/marker-processes.js';
import { processStartTime } from '../../electron/core/platform/process-table.js';
import { cleanupOrphans, findOrphans } from '../../electron/core/orphans.js';
import { signalIfSame, stopStragglers } from '../../electron/core/stragglers.js';
import { engineWith, hasLine, isState, type Cleanups } from '../helpers/engine.js';
import { alive, fixture } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor, waitForEvent } from '../helpers/wait.js';

const linuxOnly = process.platform === 'linux' ? false : 'reads /proc/<pid>/environ: Linux only';

/** SIGKILLs each pid (and the group it may lead) after the test, whether it passed or not. */
function endAfter(t: TestContext, ...pids: (number | undefined)[]): void {
  t.after(() => {
    for (const pid of pids) {
      if (pid === undefined) continue;
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
}

/** A fresh data directory, removed after the test. */
async function dataDir(t: TestContext): Promise<string> {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  return dir;
}

/** The first line of `child`'s stdout that matches, or a rejection after `timeoutMs`. */
function lineOf(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} (got ${JSON.stringify(buf)})`)), timeoutMs);
    child.stdout?.on('data', (d) => {
      buf += d;
      const m = pattern.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
}

/** Starts the daemonizer fixture as an agent would run (its own group, the markers in its environment); resolves once the daemon runs re-parented. */
async function daemonizer(t: TestContext, markers: { name: string; dir: string; runId?: string }, env: Record<string, string> = {}, args: string[] = []) {
  const leader = spawn(process.execPath, [fixture('daemonizer.mjs'), ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env, AGENT_TRAY_AGENT: markers.name, AGENT_TRAY_DATA_DIR: markers.dir, ...(markers.runId ? { AGENT_TRAY_RUN_ID: markers.runId } : {}) },
  });
  endAfter(t, leader.pid);
  const m = await lineOf(leader, /daemon pid=(\d+)/, 10_000);
  const daemon = Number(m[1]);
  endAfter(t, daemon);
  return { leader, daemon };
}

/** A plain idle process carrying the given markers (a process of another host or agent). */
function marked(t: TestContext, name: string, dir: string): number {
  const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', env: { ...process.env, AGENT_TRAY_AGENT: name, AGENT_TRAY_DATA_DIR: dir } });
  endAfter(t, p.pid);
  return p.pid!;
}

test('findMarkedProcesses finds a daemon that left its agent\'s tree, with its name, run id, start time and command line', { skip: linuxOnly }, async (t) => {
  const dir = await dataDir(t);
  const { leader, daemon } = await daemonizer(t, { name: 'web', dir, runId: 'run-42' });
  const other = marked(t, 'web', `${dir}-other`);

  const all = await findMarkedProcesses({ dataDir: dir });
  assert.deepEqual(all.map((p) => p.pid).sort((a, b) => a - b), [leader.pid!, daemon].sort((a, b) => a - b), 'the leader and its daemon; not the other directory\'s process');
  const found = all.find((p) => p.pid === daemon);
  assert.ok(found);
  assert.equal(found.name, 'web');
  assert.equal(found.runId, 'run-42');
  assert.notEqual(found.ppid, leader.pid, 'the daemon was re-parented away from the agent');
  assert.equal(found.startTime, await processStartTime(daemon));
  assert.match(found.commandLine ?? '', /daemonizer\.mjs daemon$/);
  assert.deepEqual((await findMarkedProcesses({ dataDir: `${dir}-other` })).map((p) => p.pid), [other]);
  assert.deepEqual(await findMarkedProcesses({ dataDir: dir, name: 'api' }), []);
  assert.deepEqual(await findMarkedProcesses({ dataDir: dir, platform: 'win32' }), [], 'Windows: the native helper of the next issue');
});

test('stopStragglers ends an agent\'s daemon, and leaves the excluded tree, other agents and other data directories alone', { skip: linuxOnly }, async (t) => {
  const dir = await dataDir(t);
  const { leader, daemon } = await daemonizer(t, { name: 'web', dir });
  const otherDir = marked(t, 'web', `${dir}-other`);
  const otherAgent = marked(t, 'api', dir);

  const result = await stopStragglers({ name: 'web', dataDir: dir, exclude: new Set([leader.pid!]), signal: 'SIGTERM', timeoutMs: 3_000, insistMs: 1_000 });
  assert.deepEqual(result, { pids: [daemon], survivors: [] });
  assert.equal(alive(daemon), false, 'the daemon is gone when stopStragglers resolves');
  assert.ok(alive(leader.pid!), 'the excluded pid is not touched');
  assert.ok(alive(otherDir), 'a process of another data directory is not touched');
  assert.ok(alive(otherAgent), 'a process of another agent is not touched');
  assert.deepEqual(await stopStragglers({ name: 'web', dataDir: dir, exclude: new Set([leader.pid!]), signal: 'SIGTERM', timeoutMs: 100, insistMs: 100 }), { pids: [], survivors: [] });
});

test('stopStragglers insists, then SIGKILLs a daemon that ignores SIGTERM', { skip: linuxOnly }, async (t) => {
  const dir = await dataDir(t);
  const { leader, daemon } = await daemonizer(t, { name: 'web', dir }, { DAEMON_IGNORES_TERM: '1' }, ['--exit']);
  await waitFor(() => !alive(leader.pid!), 5_000, 'the daemonizer to exit after starting its daemon');
  const started = Date.now();
  const result = await stopStragglers({ name: 'web', dataDir: dir, signal: 'SIGTERM', timeoutMs: 200, insistMs: 200 });
  assert.deepEqual(result, { pids: [daemon], survivors: [] });
  assert.equal(alive(daemon), false);
  assert.ok(Date.now() - started >= 400, 'it waited timeoutMs and insistMs before SIGKILL');
});

test('stopStragglers with SIGKILL (a kill) ends them at once, without waiting to insist', { skip: linuxOnly }, async (t) => {
  const dir = await dataDir(t);
  const { leader, daemon } = await daemonizer(t, { name: 'web', dir }, { DAEMON_IGNORES_TERM: '1' }, ['--exit']);
  await waitFor(() => !alive(leader.pid!), 5_000, 'the daemonizer to exit after starting its daemon');
  const started = Date.now();
  const result = await stopStragglers({ name: 'web', dataDir: dir, signal: 'SIGKILL', timeoutMs: 10_000, insistMs: 10_000 });
  assert.deepEqual(result, { pids: [daemon], survivors: [] });
  assert.equal(alive(daemon), false);
  assert.ok(Date.now() - started < 5_000, `it did not wait timeoutMs (took ${Date.now() - started} ms)`);
});

test('signalIfSame never signals a pid whose start time changed (a recycled pid)', { skip: linuxOnly }, async (t) => {
  const pid = marked(t, 'web', '/nowhere');
  const startTime = await processStartTime(pid);
  assert.ok(startTime !== null);
  assert.equal(await signalIfSame({ pid, startTime: startTime - 10 }, 'SIGKILL'), false);
  assert.equal(await signalIfSame({ pid, startTime: null }, 'SIGKILL'), false);
  assert.ok(alive(pid), 'a process that is not the one recorded is left alone');
  assert.equal(await signalIfSame({ pid, startTime }, 'SIGKILL'), true);
  await waitFor(() => !alive(pid), 5_000, 'the SIGKILLed process to end');
});

test('orphans: a process with the markers of a configured agent that is not running is listed as its orphan, and stopped on request', { skip: linuxOnly }, async (t) => {
  const cleanups: Cleanups = [];
  t.after(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const engine = await engineWith(cleanups, [
    { name: 'web', command: process.execPath, args: [fixture('daemonizer.mjs')] },
    { name: 'api', command: process.execPath, args: [fixture('daemonizer.mjs')] },
  ]);
  // web: a daemon left behind by an earlier run (the agent itself is stopped)
  const { leader, daemon } = await daemonizer(t, { name: 'web', dir: engine.paths.root }, {}, ['--exit']);
  await waitFor(() => !alive(leader.pid!), 5_000, 'the daemonizer to exit after starting its daemon');
  // api: running under supervision, its daemon is the engine's business, not an orphan
  const apiDaemon = waitForEvent(engine, hasLine('api', /daemon pid=\d+/), 10_000, 'api to print its daemon pid');
  const api = await engine.start('api');
  endAfter(t, api.pid ?? undefined);
  const apiDaemonPid = Number(/daemon pid=(\d+)/.exec((await apiDaemon as { lines: { text: string }[] }).lines.map((l) => l.text).join('\n'))?.[1]);
  endAfter(t, apiDaemonPid);
  // another data directory's process of the same agent name is not ours
  const foreign = marked(t, 'web', `${engine.paths.root}-other`);

  assert.equal(engine.status('web').state, 'stopped');
  const orphans = await findOrphans(engine);
  assert.deepEqual(orphans.map((o) => [o.name, o.pid, o.via]), [['web', daemon, 'marker']]);
  assert.match(orphans[0]?.commandLine ?? '', /daemonizer\.mjs daemon/);
  assert.ok(alive(daemon), 'listing stops nothing');

  const stopped = await cleanupOrphans(engine, orphans);
  assert.deepEqual(stopped.map((s) => [s.name, s.pid]), [['web', daemon]]);
  assert.equal(alive(daemon), false);
  assert.ok(alive(apiDaemonPid) && alive(api.pid!) && alive(foreign), 'the supervised agent, its daemon and the other directory\'s process live on');
  assert.deepEqual(await findOrphans(engine), []);
});

// The end-to-end promise, once the engine runs stopStragglers after a tree is gone (wired by the lead).
test('stop says stopped and the daemon an agent left behind is gone', { skip: linuxOnly || false }, async (t) => {
  const cleanups: Cleanups = [];
  t.after(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const engine = await engineWith(cleanups, [{ name: 'web', command: process.execPath, args: [fixture('daemonizer.mjs')] }]);
  const printed = waitForEvent(engine, hasLine('web', /daemon pid=\d+/), 10_000, 'web to print its daemon pid');
  const status = await engine.start('web');
  endAfter(t, status.pid ?? undefined);
  const daemon = Number(/daemon pid=(\d+)/.exec((await printed as { lines: { text: string }[] }).lines.map((l) => l.text).join('\n'))?.[1]);
  endAfter(t, daemon);
  assert.ok(alive(daemon), 'the daemon runs');

  const stoppedEvent = waitForEvent(engine, isState('web', 'stopped'), 15_000, 'web to be stopped');
  const result = await engine.stop('web');
  assert.notEqual(result.outcome, 'not-running');
  assert.equal(engine.status('web').state, 'stopped');
  await stoppedEvent;
  assert.equal(alive(daemon), false, 'the daemon is gone when stop says stopped');
  assert.deepEqual(await findMarkedProcesses({ dataDir: engine.paths.root }), [], 'no process with the agent\'s markers is left');
});
