// Debian's Chromium (or AGENT_TRAY_CHROMIUM) driven by Playwright, with the flags this machine
// needs: no sandbox as root, no background networking (the network is closed here).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';

export const chromiumPath = process.env.AGENT_TRAY_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium; fails with the fix when it is missing. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(chromiumPath), `Chromium at ${chromiumPath} (apt-get install -y chromium, or set AGENT_TRAY_CHROMIUM)`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Collects console errors and warnings and page errors of `page`. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** Where screenshots go: test-results/screenshots/ (kept by CI as artifacts). */
export const SCREENSHOT_DIR = new URL('../../test-results/screenshots/', import.meta.url).pathname;

/** Saves a full-page screenshot as test-results/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
