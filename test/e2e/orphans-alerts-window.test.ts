// The window's orphans view, alert counts and Start all summary in real Chromium against a real
// `agent-tray serve`: an orphan (a live process in the PID file of an agent that is not configured)
// is counted in the navigation, listed at #/orphans and stopped from its row; a Start all that two
// agents refuse names them and why; marking an alert read through the API (another client) changes
// the window's unread count. Screenshots at 1280×800 and 1280×720, light and dark
// (test-results/screenshots/orphans-*, bulk-summary-*), and no serious or critical axe violation.
import { test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { axeViolations, blocking, describeViolations, type AxeViolation } from '../helpers/axe.js';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { openServed, serveWith, type Cleanups } from '../helpers/served-window.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  killTracked();
});

let browser: Browser | null = null;
after(async () => {
  await browser?.close();
});

/** axe-core over the parts of the page this file is about (the navigation, the view, the status bar's errors). */
async function axeIn(page: Page, selectors: readonly string[]): Promise<AxeViolation[]> {
  await axeViolations(page); // loads axe-core into the page
  return page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: { run(ctx: object, opts: object): Promise<{ violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run({ include: include.map((s) => [s]) }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  }, selectors.filter(Boolean) as string[]);
}

const OURS = ['.shell__nav', '.shell__main', '.status-bar__errors'];

/** Screenshots at both sizes and schemes, and the blocking axe violations (in OURS) at 1280×800. */
async function capture(page: Page, name: string): Promise<string[]> {
  const found: string[] = [];
  for (const size of [
    { width: 1280, height: 800 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(size);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await screenshot(page, `${name}-${size.width}x${size.height}-${colorScheme}`);
      if (size.height === 800) {
        const present = [];
        for (const s of OURS) if ((await page.locator(s).count()) > 0) present.push(s);
        const bad = blocking(await axeIn(page, present));
        if (bad.length) found.push(`${name} (${colorScheme}):\n${describeViolations(bad)}`);
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

test('an orphan is counted, listed at #/orphans with its command line, and stopped from its row', async () => {
  const served = await serveWith(cleanups, [{ name: 'kept', command: process.execPath, args: [fixture('well-behaved.mjs')] }]);
  // a process of ours whose agent is gone: its PID file names an agent agents.json does not have
  const child = spawn(process.execPath, [fixture('well-behaved.mjs'), '--model', `/models/${'very-long-model-name-'.repeat(8)}q4.gguf`], { stdio: 'ignore', detached: true });
  child.unref();
  const pid = child.pid!;
  track(pid);
  mkdirSync(path.join(served.dir, 'run'), { recursive: true });
  writeFileSync(path.join(served.dir, 'run', 'old-model.pid'), String(pid));

  browser ??= await launchChromium();
  const { page, problems } = await openServed(browser, cleanups, served);
  const nav = page.getByRole('navigation', { name: 'Views' });
  const entry = nav.getByRole('button', { name: /^Orphans/ });
  await waitFor(async () => (await entry.textContent()) === 'Orphans1 orphan', 15_000, 'the navigation counts one orphan');
  await entry.click();
  await page.waitForURL(/#\/orphans$/);
  const row = page.getByRole('row', { name: new RegExp(`^${pid} `) });
  await row.waitFor({ timeout: 15_000 });
  assert.match((await row.textContent()) ?? '', /old-model.*no longer configured/);
  const command = row.locator('.orphan-row__command');
  assert.match((await command.getAttribute('title')) ?? '', /very-long-model-name-.*q4\.gguf/);
  // cut to one line, whole while it has keyboard focus (Tab to it)
  const cut = await command.boundingBox();
  for (let i = 0; i < 30 && !(await command.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  const whole = await command.boundingBox();
  assert.ok(cut && whole && whole.height > cut.height * 1.5, `the command line wraps whole on focus (${cut?.height} → ${whole?.height} px)`);
  await page.locator('h2', { hasText: 'Orphans' }).click();

  const violations = await capture(page, 'orphans');
  assert.deepEqual(violations, [], violations.join('\n'));
  // at the window's minimum size the table fits (the command line gives way), Stop in view
  await page.setViewportSize({ width: 640, height: 420 });
  await screenshot(page, 'orphans-640x420-light');
  const fit = await page.locator('.shell__main').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(fit.scroll <= fit.client, `the orphans table fits 640 px (${fit.scroll} > ${fit.client})`);
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('button', { name: `Stop process ${pid} (old-model)` }).click();
  await page.getByText('No orphans.').waitFor({ timeout: 15_000 });
  assert.equal(alive(pid), false, 'the orphan was stopped');
  assert.equal(await entry.textContent(), 'Orphans');
  await capture(page, 'orphans-empty');
  assert.deepEqual(problems, []);
});

test('Start all that two agents refuse says which and why; an alert read through the API leaves the unread count', async () => {
  const missing = (name: string) => ({ name, command: `/nonexistent/${name}-binary` });
  const served = await serveWith(cleanups, [missing('web'), { name: 'api', command: process.execPath, args: [fixture('well-behaved.mjs')] }, missing('db')]);
  browser ??= await launchChromium();
  const { page } = await openServed(browser, cleanups, served);
  await page.getByRole('button', { name: 'Start all' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Start all:' });
  await summary.waitFor({ timeout: 15_000 });
  const text = (await summary.textContent()) ?? '';
  // each reason in the host's words, without the `Agent "web": ` the name already says
  assert.match(text, /^Start all: 2 of 3 failed — web: the program \/nonexistent\/web-binary does not exist.*; db: the program \/nonexistent\/db-binary.*×$/);
  assert.deepEqual(await summary.getByRole('link').allTextContents(), ['web', 'db']);
  const status = (await served.api('GET', '/api/agents/api')) as { pid: number | null };
  track(status.pid);
  const violations = await capture(page, 'bulk-summary');
  assert.deepEqual(violations, [], violations.join('\n'));
  await summary.getByRole('link', { name: 'db' }).click();
  await page.waitForURL(/#\/agents\/db$/);

  // the failed starts raised alerts; another client reads one: this window's count follows
  const alertsEntry = page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Alerts/ });
  await waitFor(async () => /^Alerts[1-9]/.test((await alertsEntry.textContent()) ?? ''), 15_000, 'unread alerts counted');
  await alertsEntry.click();
  await page.getByRole('button', { name: /^Mark read: / }).first().waitFor();
  const alertViolations = await capture(page, 'alerts-unread');
  assert.deepEqual(alertViolations, [], alertViolations.join('\n'));
  const before = Number(/^Alerts(\d+)/.exec((await alertsEntry.textContent()) ?? '')?.[1]);
  const { alerts } = (await served.api('GET', '/api/alerts')) as { alerts: { id: number }[] };
  await served.api('POST', '/api/alerts/read', { ids: [alerts[0]!.id] });
  await waitFor(async () => ((await alertsEntry.textContent()) ?? '').startsWith(before === 1 ? 'Alerts' : `Alerts${before - 1}`) && (await alertsEntry.textContent()) !== `Alerts${before}`, 10_000, 'the count drops by one');
  await served.api('DELETE', '/api/alerts');
  await waitFor(async () => (await alertsEntry.textContent()) === 'Alerts', 10_000, 'no count after a clear elsewhere');
});
