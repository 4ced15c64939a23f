// The window in real Chromium against a real `agent-tray serve` (port 0, a data directory of its
// own) with real fixture agents: add an agent through the editor, start it from its badge, see
// its output and its chart arrive live, stop it; a crashing agent; Start all and Stop all.
// Screenshots of the main screens go to test-results/screenshots/.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { openServed, serveWith, type Cleanups, type Served } from '../helpers/served-window.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  killTracked();
});

let browser: Browser | null = null;
/** A new tab on the served page, with its token URL; the browser is shared by the file's tests. */
async function open(served: Served): Promise<{ page: Page; problems: string[] }> {
  browser ??= await launchChromium();
  return openServed(browser, cleanups, served);
}

test.after(async () => {
  await browser?.close();
});

const badge = (page: Page, name: string, state: string) => page.getByRole('button', { name: new RegExp(`^${name}: ${state}`) });

test('add an agent in the editor (a bad name first), start it from its badge, see output and a chart arrive live, stop it', async () => {
  const served = await serveWith(cleanups, []);
  const { page, problems } = await open(served);
  await page.getByRole('heading', { name: 'No agents yet' }).waitFor({ timeout: 15_000 });
  await screenshot(page, 'first-run');

  await page.getByRole('button', { name: 'Add agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add agent' });
  await dialog.getByLabel('Name', { exact: true }).fill('bad name');
  await dialog.getByLabel('Command').fill(process.execPath);
  await dialog.getByLabel('Arguments').fill(fixture('well-behaved.mjs'));
  // Save says it cannot save yet (aria-disabled, not disabled: a click still leads to the problem)
  const save = dialog.getByRole('button', { name: 'Save' });
  await page.waitForFunction((el) => el?.getAttribute('aria-disabled') === 'true', await save.elementHandle());
  await save.click({ force: true });
  // the same words as the API's 400
  const refused = (await served.api('POST', '/api/agents', { name: 'bad name', command: 'node' })) as { error: { message: string } };
  const nameField = dialog.getByLabel('Name', { exact: true });
  await page.waitForFunction((el) => el?.getAttribute('aria-invalid') === 'true', await nameField.elementHandle());
  const message = await dialog.locator('.inline-error').first().textContent();
  assert.match(message ?? '', /^name: /);
  assert.ok(refused.error.message.includes((message ?? '').trim()), `editor said "${message}", API said "${refused.error.message}"`);
  await screenshot(page, 'editor-validation');
  assert.deepEqual(((await served.api('GET', '/api/agents')) as { agents: unknown[] }).agents, [], 'nothing saved while the name is bad');

  await nameField.fill('ticker');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });

  await badge(page, 'ticker', 'stopped').click({ timeout: 15_000 });
  await badge(page, 'ticker', 'running').waitFor({ timeout: 15_000 });
  const { pid } = (await served.api('GET', '/api/agents/ticker')) as { pid: number };
  track(pid);

  // a chart draws points as samples arrive (sampleIntervalMs 250 in this data directory)
  await page.getByRole('tab', { name: 'Overview' }).waitFor({ timeout: 10_000 }); // saving opened the agent
  const chart = page.locator('.ts-chart').first();
  await page.waitForFunction(() => Number(document.querySelector('.ts-chart')?.getAttribute('data-points') ?? 0) >= 3, undefined, { timeout: 15_000 });
  assert.equal(await chart.getAttribute('data-drawn'), 'true');
  await screenshot(page, 'agent-detail');

  // output arrives live in the log view
  await page.getByRole('tab', { name: 'Logs' }).click();
  const log = page.getByRole('log', { name: 'Output of ticker' });
  await log.getByText(/ready pid=\d+/).first().waitFor({ timeout: 15_000 });
  const before = await page.locator('.log-row').count();
  await page.waitForFunction((n) => document.querySelectorAll('.log-row').length > n || /\d+ lines/.test(document.querySelector('.log-status')?.textContent ?? ''), before, { timeout: 10_000 });
  await screenshot(page, 'logs');

  await badge(page, 'ticker', 'running').click();
  await badge(page, 'ticker', 'stopped').waitFor({ timeout: 15_000 });
  await waitFor(() => !alive(pid), 10_000, 'ticker gone after stop');
  assert.deepEqual(problems, []);
});

test('a crashing agent turns its badge red and shows its error', async () => {
  const served = await serveWith(cleanups, [{ name: 'crasher', command: process.execPath, args: [fixture('crasher.mjs')], restart: { policy: 'no' } }]);
  const { page, problems } = await open(served);
  await badge(page, 'crasher', 'stopped').click({ timeout: 15_000 });
  const red = badge(page, 'crasher', 'crashed');
  await red.waitFor({ timeout: 15_000 });
  assert.match((await red.getAttribute('class')) ?? '', /badge--red/);
  assert.match((await red.getAttribute('title')) ?? '', /OPENAI_API_KEY is not set/);
  // the detail shows the last error with the stderr line that explains it
  await page.getByRole('button', { name: 'crasher', exact: true }).click();
  await page.getByText(/OPENAI_API_KEY is not set/).first().waitFor({ timeout: 10_000 });
  await screenshot(page, 'agent-crashed');
  // the crash is in the alerts, and a click there leads back to the agent
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Alerts/ }).click();
  const alerts = page.getByRole('list', { name: 'Alerts, newest first' });
  await alerts.getByText(/OPENAI_API_KEY is not set/).first().waitFor({ timeout: 10_000 });
  await screenshot(page, 'alerts');
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max concurrent agents').waitFor({ timeout: 10_000 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'settings-dark');
  assert.deepEqual(problems, []);
});

test('Start all starts every agent and Stop all stops them', async () => {
  const agents = ['one', 'two', 'three'].map((name) => ({ name, command: process.execPath, args: [fixture('well-behaved.mjs')] }));
  const served = await serveWith(cleanups, agents);
  const { page, problems } = await open(served);
  await badge(page, 'three', 'stopped').waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Start all' }).click();
  for (const a of agents) await badge(page, a.name, 'running').waitFor({ timeout: 15_000 });
  const listed = (await served.api('GET', '/api/agents')) as { agents: { name: string; pid: number }[] };
  for (const a of listed.agents) track(a.pid);
  assert.ok(listed.agents.every((a) => alive(a.pid)));
  await screenshot(page, 'agents-list');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'agents-list-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Stop all' }).click();
  for (const a of agents) await badge(page, a.name, 'stopped').waitFor({ timeout: 15_000 });
  await waitFor(() => listed.agents.every((a) => !alive(a.pid)), 10_000, 'every agent process gone');
  assert.deepEqual(problems, []);
});
