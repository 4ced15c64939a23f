// On a real Windows (the GitHub Actions windows-latest job; skipped elsewhere with one line): what
// Wine cannot show. An agent started through agent-tray-helper.exe reports the flags it got, and a
// stop reaches it as CTRL_BREAK through AttachConsole + GenerateConsoleCtrlEvent, so an agent that
// handles SIGBREAK exits gracefully; its whole tree is gone afterwards. Unverified on this project's
// own machines (Linux; Wine 8 fails GenerateConsoleCtrlEvent with error 6): the Windows job is the test.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine } from '../../electron/core/engine.js';
import { locateWinHelper } from '../../electron/core/platform/win-helper.js';
import { isProcessAlive } from '../../electron/core/platform/process-table.js';

const required = process.env.AGENT_TRAY_WINDOWS_REAL === 'required';
const helper = process.platform === 'win32' ? locateWinHelper() : null;
const skip =
  process.platform !== 'win32'
    ? 'needs a real Windows (the GitHub Actions windows-latest job); Wine cannot deliver CTRL_BREAK'
    : helper === null
      ? 'agent-tray-helper.exe is not built (no x86_64-w64-mingw32-gcc on PATH when npm run build ran)'
      : false;
if (skip && required && process.platform === 'win32') throw new Error(`AGENT_TRAY_WINDOWS_REAL=required, but: ${skip}`);

const dir = mkdtempSync(path.join(tmpdir(), 'agent-tray-real-windows-'));
const breakAware = path.join(import.meta.dirname, 'lane', 'fixtures', 'break-aware.mjs');
const engine = new Engine({ dataDir: dir });
after(async () => {
  await engine.close({ stopAgents: true });
  rmSync(dir, { recursive: true, force: true });
});

test('an agent started through the helper gets no console window, leaves the tray\'s job where allowed, and stops gracefully on CTRL_BREAK', { skip }, async () => {
  engine.setDefinitions([{ name: 'breaky', command: process.execPath, args: [breakAware], restart: { policy: 'no' }, stop: { timeoutMs: 10_000 } }]);
  const status = await engine.start('breaky');
  assert.equal(status.state, 'running');
  assert.equal(status.windows?.helper, true, JSON.stringify(status.windows));
  assert.ok(status.windows?.flags.includes('CREATE_NO_WINDOW'), JSON.stringify(status.windows));
  assert.ok(status.windows?.flags.includes('CREATE_NEW_PROCESS_GROUP'), JSON.stringify(status.windows));
  // the runner may run us in a job that forbids breakaway: then the helper says so instead of failing
  if (!status.windows?.breakaway) assert.match(status.windows?.note ?? '', /ends when Agent Tray ends/);
  const pid = status.pid!;
  const deadline = Date.now() + 10_000;
  while (!engine.logs('breaky', 'stdout', 5).some((l) => l.text.startsWith('tick')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

  const stop = await engine.stop('breaky');
  assert.equal(stop.outcome, 'graceful', `CTRL_BREAK reached it: ${JSON.stringify(stop)}`);
  assert.deepEqual(stop.survivors ?? [], []);
  assert.equal(isProcessAlive(pid, 'win32'), false);
  assert.ok(engine.logs('breaky', 'stdout', 20).some((l) => l.text === 'got SIGBREAK'), 'the agent saw SIGBREAK');
});
