// A real `agent-tray serve` and its shutdown signals while an atomic write is in flight (signal-exit
// listening, as write-file-atomic makes it for each write): the first SIGTERM, SIGINT or SIGHUP
// shuts it down gracefully (exit 0, lock released), it never dies by the signal it handles; a
// second one during the shutdown exits at once (1).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lockFile } from '../../electron/server/host-lock.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { hostApi, startServe, type ServeProcess } from '../helpers/serve-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

/** node's arguments that keep an atomic write in flight in the host (see the fixture). */
const writeInFlight = ['--import', new URL('../fixtures/hosts/write-in-flight.mjs', import.meta.url).pathname];

/** A data directory with the given agents. */
async function dataDir(agents: object[] = []): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-signals-');
  cleanups.push(cleanup);
  await writeFile(path.join(dir, 'agents.json'), JSON.stringify({ agents }));
  return dir;
}

/** Starts serve over `dir` with a write in flight; returns it with its stderr so far. */
function serveWithWriteInFlight(dir: string, args: string[] = []): { serve: ServeProcess; stderr: () => string } {
  const serve = startServe(dir, 'ignore', 'pipe', args, writeInFlight);
  let stderr = '';
  serve.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { serve, stderr: () => stderr };
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  test(`${signal} while an atomic write is in flight: the host shuts down gracefully (exit 0, lock released) instead of dying by the signal`, async () => {
    const dir = await dataDir();
    const { serve, stderr } = serveWithWriteInFlight(dir);
    await hostApi(dir, serve);
    process.kill(serve.pid, signal);
    assert.equal(await serve.exit, 0, stderr());
    assert.equal(existsSync(lockFile(dir)), false, 'the lock is released');
    assert.match(stderr(), new RegExp(`${signal}: shutting down[\\s\\S]*stopped`));
  });
}

test('a second SIGTERM during the shutdown (an agent that ignores SIGTERM being stopped) exits at once with 1', async () => {
  const dir = await dataDir([{ name: 'stubborn', command: process.execPath, args: [fixture('stubborn.mjs')], autostart: true, stop: { timeoutMs: 30_000, insistMs: 30_000 } }]);
  const { serve, stderr } = serveWithWriteInFlight(dir, ['--stop-agents-on-exit']);
  const { api } = await hostApi(dir, serve);
  let pid: number | null = null;
  await waitFor(async () => {
    const agent = (await api('GET', '/api/agents/stubborn')).body;
    pid = agent.state === 'running' ? agent.pid : null;
    return pid !== null;
  }, 15_000, 'the stubborn agent to run');
  track(pid);
  process.kill(serve.pid, 'SIGTERM');
  await waitFor(() => /SIGTERM: shutting down and stopping every agent/.test(stderr()), 10_000, 'the host to begin its shutdown');
  process.kill(serve.pid, 'SIGTERM');
  assert.equal(await serve.exit, 1, stderr());
  assert.match(stderr(), /second signal: exiting at once/);
});
