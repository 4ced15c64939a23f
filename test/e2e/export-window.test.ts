// The Export dialog in real Chromium against a real `agent-tray serve`: the files of a target, the
// lost list, and a file saved through the Download button (a blob link) under the page's strict
// Content-Security-Policy, byte for byte what GET /api/export answers.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright';
import type { ExportResult } from '../../shared/export.js';
import { axeViolations, blocking, describeViolations } from '../helpers/axe.js';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { killTracked } from '../helpers/processes.js';
import { openServed, serveWith, type Cleanups } from '../helpers/served-window.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  killTracked();
});

let browser: Browser | null = null;
test.after(async () => {
  await browser?.close();
});

test('Export… shows a target\'s files and what is lost; Download saves the file under the page\'s CSP', async () => {
  const served = await serveWith(cleanups, [
    { name: 'model', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], health: { http: { url: 'http://127.0.0.1:11434/' } } },
    { name: 'web', command: process.execPath, args: ['server.js', 'two words', '$HOME'], port: 8080, dependsOn: { model: 'healthy' } },
  ]);
  browser ??= await launchChromium();
  const { page, problems } = await openServed(browser, cleanups, served, { acceptDownloads: true });
  await page.getByRole('button', { name: 'Export…' }).click({ timeout: 15_000 });
  const dialog = page.getByRole('dialog', { name: 'Export agents' });
  await dialog.getByLabel('Content of process-compose.yaml').waitFor({ timeout: 10_000 });

  await dialog.getByRole('radio', { name: /systemd/ }).check();
  await dialog.getByRole('button', { name: 'agent-tray-web.service' }).click({ timeout: 10_000 });
  const shown = await dialog.getByLabel('Content of agent-tray-web.service').textContent();
  const lostRows = await dialog.getByRole('table').getByRole('row').count();
  assert.ok(lostRows > 1, 'the lost list has rows');
  await dialog.getByRole('row', { name: /web dependsOn\.model systemd cannot wait for "model" to be healthy/ }).waitFor();
  await screenshot(page, 'export-dialog');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const bad = blocking(await axeViolations(page));
    assert.deepEqual(bad, [], `axe-core, ${colorScheme}:\n${describeViolations(bad)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // at the window's smallest size the dialog still fits, its body scrolling
  await page.setViewportSize({ width: 640, height: 420 });
  await screenshot(page, 'export-dialog-640x420');
  const box = await dialog.boundingBox();
  assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 640 && box.y + box.height <= 420, `the dialog fits the window: ${JSON.stringify(box)}`);
  await page.setViewportSize({ width: 1280, height: 800 });

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), dialog.getByRole('button', { name: 'Download' }).click()]);
  assert.equal(download.suggestedFilename(), 'agent-tray-web.service');
  const saved = readFileSync((await download.path())!, 'utf8');
  const api = (await served.api('GET', '/api/export?to=systemd')) as ExportResult;
  assert.equal(saved, api.files.find((f) => f.path === 'agent-tray-web.service')?.content);
  assert.equal(saved, shown);
  assert.match(saved, /^ExecStart=".*" "server\.js" "two words" "\$\$HOME"$/m);
  assert.deepEqual(problems.filter((p) => /Content.Security.Policy|Refused/i.test(p)), [], 'no CSP violation');
  assert.deepEqual(problems, []);
});
