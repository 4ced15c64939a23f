// The Electron app itself, where an Electron binary exists (a user's machine, a CI runner with
// internet). On machines where Electron's binary cannot be downloaded this test skips, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright';

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

test('the Electron app opens its sandboxed window with the preload API and no Node in the page', { skip }, async () => {
  const app = await electron.launch({ executablePath: binary!, args: [root], env: { ...process.env, AGENT_TRAY_DATA_DIR: path.join(root, '.tmp', 'e2e-electron') } });
  try {
    const win = await app.firstWindow();
    await win.getByRole('heading', { name: 'Agent Tray' }).waitFor({ timeout: 15_000 });
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(await win.evaluate(() => (window as unknown as { agentTray: { version: string } }).agentTray.version), pkg.version);
    assert.equal(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require), 'undefined');
    assert.equal(await win.evaluate(() => typeof (window as unknown as { process?: unknown }).process), 'undefined');
  } finally {
    await app.close();
  }
});
