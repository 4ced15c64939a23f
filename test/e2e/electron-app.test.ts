// The Electron app itself, where an Electron binary exists (a user's machine, a CI runner with
// internet). On machines where Electron's binary cannot be downloaded this test skips, saying why.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright';
import { COMMAND_NAMES } from '../../shared/commands.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const root = new URL('../../', import.meta.url).pathname;
const electronDir = path.join(root, 'node_modules', 'electron');

/** The Electron binary if it was downloaded, without triggering a download (requiring 'electron' would). */
function electronBinary(): string | null {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const skip = binary ? false : 'no Electron binary in node_modules/electron/dist (it cannot be downloaded on this machine); run `npx install-electron` where it can';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Launches the app over a fresh data directory holding `agents` and `settings`. */
async function launch(agents: unknown[], settings: unknown = {}): Promise<{ app: ElectronApplication; dir: string }> {
  const { dir, cleanup } = await tempDir('agent-tray-electron-');
  writeFileSync(path.join(dir, 'agents.json'), JSON.stringify({ agents }));
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ api: { port: 0 }, ...(settings as object) }));
  const app = await electron.launch({ executablePath: binary!, args: [root], env: { ...process.env, AGENT_TRAY_DATA_DIR: dir } });
  const pid = app.process().pid;
  track(pid);
  cleanups.push(cleanup, async () => {
    if (pid && alive(pid)) await app.close().catch(() => undefined);
  });
  return { app, dir };
}

const alpha = { name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs')] };

test('the window is sandboxed, has the preload bridge with every command, and no Node', { skip }, async () => {
  const { app } = await launch([]);
  const win = await app.firstWindow();
  await win.waitForFunction(() => 'agentTray' in window, undefined, { timeout: 15_000 });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(await win.evaluate(() => (window as unknown as { agentTray: { version: string } }).agentTray.version), pkg.version);
  const functions = await win.evaluate(() => Object.entries((window as unknown as { agentTray: Record<string, unknown> }).agentTray).filter(([, v]) => typeof v === 'function').map(([k]) => k));
  for (const name of [...COMMAND_NAMES, 'subscribe']) assert.ok(functions.includes(name), `window.agentTray.${name}`);
  assert.equal(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require), 'undefined');
  assert.equal(await win.evaluate(() => typeof (window as unknown as { process?: unknown }).process), 'undefined');
  await assert.rejects(win.evaluate(() => (window as unknown as { agentTray: { startAgent(i: unknown): Promise<unknown> } }).agentTray.startAgent({ name: 'nobody' })), /No agent named "nobody"/);
});

test('the window shows the agents; start and stop one from its badge; quit with stop-all leaves no process', { skip }, async () => {
  const { app } = await launch([alpha], { onQuit: 'stop-all' });
  const win = await app.firstWindow();
  const badge = (state: string) => win.getByRole('button', { name: new RegExp(`^alpha: ${state}`) });
  await badge('stopped').waitFor({ timeout: 15_000 });
  await badge('stopped').click();
  await badge('running').waitFor({ timeout: 15_000 });
  const status = await win.evaluate(() => (window as unknown as { agentTray: { getAgent(i: unknown): Promise<{ pid: number }> } }).agentTray.getAgent({ name: 'alpha' }));
  track(status.pid);
  assert.ok(alive(status.pid));
  await badge('running').click();
  await badge('stopped').waitFor({ timeout: 15_000 });
  await waitFor(() => !alive(status.pid), 10_000, 'alpha gone after stop');

  await badge('stopped').click();
  await badge('running').waitFor({ timeout: 15_000 });
  const again = await win.evaluate(() => (window as unknown as { agentTray: { getAgent(i: unknown): Promise<{ pid: number }> } }).agentTray.getAgent({ name: 'alpha' }));
  track(again.pid);
  const electronPid = app.process().pid!;
  await app.close();
  await waitFor(() => !alive(again.pid) && !alive(electronPid), 15_000, 'no process left after quit');
});

test('closing the window hides it: the app and its agents live on in the tray', { skip }, async () => {
  const { app } = await launch([alpha]);
  const win = await app.firstWindow();
  await win.waitForFunction(() => 'agentTray' in window, undefined, { timeout: 15_000 });
  const status = await win.evaluate(() => (window as unknown as { agentTray: { startAgent(i: unknown): Promise<{ pid: number }> } }).agentTray.startAgent({ name: 'alpha' }));
  track(status.pid);
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
  const visible = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible()));
  assert.deepEqual(visible, [false]);
  assert.ok(alive(app.process().pid!));
  assert.ok(alive(status.pid));
});
