// Env files and secrets in the window, in real Chromium against a real `agent-tray serve`: the
// agent's page says where each variable comes from; ticking "Secret" in the editor moves a value
// out of agents.json into the secret store; the agent gets it, and its log shows ***.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { fixture, killTracked } from '../helpers/processes.js';
import { openServed, serveWith, type Cleanups } from '../helpers/served-window.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  killTracked();
});

let browser: Browser | null = null;
test.after(async () => {
  await browser?.close();
});

const SECRET = 'tok-window-5c1e-9f7a';

test('the Environment shows each variable\'s source; the editor\'s Secret box stores a value out of agents.json; the log masks it', async () => {
  const { dir: cwd, cleanup } = await tempDir('agent-tray-envy-');
  cleanups.push(cleanup);
  mkdirSync(cwd, { recursive: true });
  writeFileSync(path.join(cwd, '.env'), 'export FROM_FILE=file-value\nMODE=from-file\n');
  const served = await serveWith(cleanups, [
    { name: 'envy', command: process.execPath, args: [fixture('print-env.mjs'), 'FROM_FILE', 'MODE', 'API_TOKEN'], cwd, envFile: '.env', env: { MODE: 'from-definition', API_TOKEN: SECRET } },
  ]);
  browser ??= await launchChromium();
  const { page, problems } = await openServed(browser, cleanups, served);
  await page.getByRole('button', { name: 'envy', exact: true }).click({ timeout: 15_000 });

  const table = page.locator('table.detail-env');
  const row = (key: string) => table.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${key}$`) }) });
  await row('FROM_FILE').waitFor({ timeout: 10_000 });
  assert.deepEqual(await row('FROM_FILE').locator('td').allTextContents(), ['file-value', '.env']);
  assert.deepEqual(await row('MODE').locator('td').allTextContents(), ['from-definition', 'definition (overrides .env)']);

  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit envy' });
  await dialog.getByRole('checkbox', { name: 'Keep API_TOKEN secret' }).check();
  await screenshot(page, 'editor-env-secret');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });

  const agents = readFileSync(path.join(served.dir, 'agents.json'), 'utf8');
  assert.ok(!agents.includes(SECRET), agents);
  assert.deepEqual(JSON.parse(agents).agents[0].secretEnv, ['API_TOKEN']);
  assert.equal(JSON.parse(readFileSync(path.join(served.dir, 'secrets.json'), 'utf8')).agents.envy.API_TOKEN, SECRET);
  await row('API_TOKEN').locator('td', { hasText: 'secret' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(await row('API_TOKEN').locator('td').allTextContents(), ['••••••', 'secret']);
  await screenshot(page, 'agent-environment-sources');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByRole('tab', { name: 'Logs' }).click();
  await page.getByText('API_TOKEN="***"').waitFor({ timeout: 15_000 });
  assert.equal(await page.getByText(SECRET).count(), 0, 'the secret is nowhere on the page');
  assert.deepEqual(problems, []);
});
