// Every screen of the window in real Chromium against a real `agent-tray serve` with 30 agents (a
// few of them really running, one crashed): screenshots at 1280×800 and 1280×720 in light and dark
// (test-results/screenshots/layout-*), layout facts asserted (the status bar stays one row, the
// editor's Save stays in view down to the window's minimum size, durations do not wrap), and
// axe-core finds no serious or critical accessibility violation on any screen in either scheme.
import { test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { axeViolations, blocking, describeViolations } from '../helpers/axe.js';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { fakeNvidiaSmi } from '../helpers/fake-nvidia-smi.js';
import { freePort } from '../helpers/ports.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { openServed, serveWith, type Cleanups, type Served } from '../helpers/served-window.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  killTracked();
});

let browser: Browser | null = null;
after(async () => {
  await browser?.close();
});

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1280, height: 720 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** Thirty agents, named as people name them: model servers, MCP servers, workers. */
function thirtyAgents(port: number): unknown[] {
  const node = process.execPath;
  const idle = (name: string) => ({ name, command: node, args: [fixture('well-behaved.mjs')] });
  const names = [
    'ollama', 'llama-server', 'research-agent', 'mcp-filesystem', 'mcp-github', 'mcp-postgres', 'embeddings', 'reranker',
    'whisper-transcriber', 'tts-worker', 'browser-agent', 'scheduler', 'vector-db', 'crawler', 'summarizer', 'planner',
    'code-reviewer', 'notebook-runner', 'slack-bot', 'email-triage', 'calendar-agent', 'rag-indexer', 'image-captioner', 'metrics-exporter',
    'queue-worker-1', 'queue-worker-2',
  ];
  return [
    { name: 'web', command: node, args: [fixture('http-server.mjs')], env: { PORT: String(port) }, port, health: { http: { url: `http://127.0.0.1:${port}/health` }, intervalMs: 500 } },
    { name: 'ticker', command: node, args: [fixture('well-behaved.mjs')] },
    { name: 'crasher', command: node, args: [fixture('crasher.mjs')], restart: { policy: 'no' } },
    { name: 'stubborn', command: node, args: [fixture('stubborn.mjs')], stop: { timeoutMs: 60_000 } },
    ...names.map(idle),
  ];
}

/** Screenshots of the current screen at each size and scheme, and axe at 1280×800 in each scheme; the blocking violations found. */
async function captureScreen(page: Page, name: string, ready: () => Promise<void>): Promise<string[]> {
  const found: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await ready();
      const overflow = await page.evaluate(() => {
        const main = document.querySelector('.shell__main');
        return { page: document.documentElement.scrollWidth, view: window.innerWidth, main: main ? main.scrollWidth - main.clientWidth : 0 };
      });
      assert.ok(overflow.page <= overflow.view, `${name} at ${size.width}×${size.height} does not scroll sideways (page ${overflow.page} px wide)`);
      assert.ok(overflow.main <= 0, `${name} at ${size.width}×${size.height}: the view fits its pane (${overflow.main} px too wide)`);
      await screenshot(page, `layout-${name}-${size.width}x${size.height}-${colorScheme}`);
      if (size.height === 800) {
        const bad = blocking(await axeViolations(page));
        if (bad.length) found.push(`${name} (${colorScheme}):\n${describeViolations(bad)}`);
      }
    }
  }
  await page.setViewportSize(SIZES[0]);
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/** Goes to a place by the address's hash, as a link or Back would. */
async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
}

/** The box of the first element matching `selector`. */
async function box(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is on the page`);
  return b;
}

async function startAndTrack(served: Served, name: string): Promise<void> {
  const status = (await served.api('POST', `/api/agents/${name}/start`)) as { pid: number | null };
  track(status.pid);
}

test('every screen at 1280×800 and 1280×720, light and dark: one-row status bar with 30 agents, Save in view, no serious accessibility violation', async () => {
  const port = await freePort();
  const served = await serveWith(cleanups, thirtyAgents(port));
  browser ??= await launchChromium();
  const { page, problems } = await openServed(browser, cleanups, served);
  for (const name of ['web', 'ticker', 'crasher', 'stubborn']) await startAndTrack(served, name);
  const badge = (name: string, state: RegExp) => page.getByRole('button', { name: new RegExp(`^${name}: ${state.source}`) });
  await badge('crasher', /crashed/).or(page.getByRole('button', { name: /\+\d+ more/ })).first().waitFor({ timeout: 20_000 });
  await page.getByText('4 of 30 running').or(page.getByText(/3 of 30 running, 1 failed/)).first().waitFor({ timeout: 20_000 });
  const violations: string[] = [];

  // the agents list: the status bar holds 30 agents in one row
  violations.push(...(await captureScreen(page, 'agents', async () => {
    await page.getByRole('main').getByRole('button', { name: 'crasher', exact: true }).waitFor();
  })));
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const row = await box(page, '.status-bar__badges');
    const spans = await page.locator('.status-bar__badges > *').evaluateAll((els) => els.map((e) => [e.getBoundingClientRect().top, e.getBoundingClientRect().bottom]));
    assert.ok(spans.length >= 2, 'the row shows badges');
    // on one line: every item overlaps every other vertically (a second line would start below the first's bottom)
    const lowestTop = Math.max(...spans.map(([top]) => top!));
    const highestBottom = Math.min(...spans.map(([, bottom]) => bottom!));
    assert.ok(lowestTop < highestBottom, `every badge on one line at ${size.width}×${size.height} (tops ${spans.map(([t]) => Math.round(t!)).join(', ')})`);
    const bar = await box(page, '.status-bar');
    assert.ok(bar.height <= 96, `the status bar is one row high (${bar.height} px) at ${size.width}×${size.height}`);
    assert.ok(row.height <= 44, `the badge row is one badge high (${row.height} px)`);
  }
  await page.setViewportSize(SIZES[0]);
  // failing agents come first in the row
  const first = await page.locator('.status-bar__badges > *').first().getAttribute('aria-label');
  assert.match(first ?? '', /^crasher/, 'the crashed agent leads the row');

  // the crashed agent's detail, and its reason on its list row
  await page.getByRole('main').locator('tr', { hasText: 'crasher' }).getByText(/OPENAI_API_KEY is not set/).first().waitFor({ timeout: 10_000 });
  await go(page, '#/agents/crasher');
  violations.push(...(await captureScreen(page, 'detail-crashed', async () => {
    await page.getByText(/OPENAI_API_KEY is not set/).first().waitFor({ timeout: 10_000 });
  })));
  // its recent runs: every cell on one line (a duration such as "2m 58s" never wraps)
  await page.locator('table.detail-runs tbody tr').first().waitFor({ timeout: 10_000 });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const cells = await page.locator('table.detail-runs tbody td').evaluateAll((tds) =>
      tds.filter((td) => !td.classList.contains('detail-runs__ended')).map((td) => ({ text: td.textContent ?? '', height: td.getBoundingClientRect().height, line: parseFloat(getComputedStyle(td).lineHeight) || 20 })),
    );
    assert.ok(cells.length >= 4, 'the finished run has its cells');
    for (const c of cells) assert.ok(c.height < c.line * 2, `"${c.text}" stays on one line (${c.height} px high) at ${size.width}×${size.height}`);
  }
  await page.setViewportSize(SIZES[0]);

  // a running agent with a health probe: its detail with a chart and runs
  await go(page, '#/agents/web');
  violations.push(...(await captureScreen(page, 'detail-running', async () => {
    await page.waitForFunction(() => Number(document.querySelector('.ts-chart')?.getAttribute('data-points') ?? 0) >= 2, undefined, { timeout: 15_000 });
  })));

  // the logs of a running agent
  await go(page, '#/agents/ticker/logs');
  violations.push(...(await captureScreen(page, 'logs', async () => {
    await page.getByRole('log', { name: 'Output of ticker' }).locator('.log-row').first().waitFor({ timeout: 15_000 });
  })));

  // alerts (the crash is one)
  await go(page, '#/alerts');
  violations.push(...(await captureScreen(page, 'alerts', async () => {
    await page.getByRole('list', { name: 'Alerts, newest first' }).getByText(/OPENAI_API_KEY is not set/).first().waitFor({ timeout: 10_000 });
  })));

  // orphans (none here: the view explains what one is)
  await go(page, '#/orphans');
  violations.push(...(await captureScreen(page, 'orphans', async () => {
    await page.getByRole('heading', { name: 'Orphans' }).waitFor({ timeout: 10_000 });
  })));

  // settings
  await go(page, '#/settings');
  violations.push(...(await captureScreen(page, 'settings', async () => {
    await page.getByLabel('Max concurrent agents').waitFor({ timeout: 10_000 });
  })));

  // the editor of a running agent: Save stays in view at 1280×720 and at the window's minimum size
  await go(page, '#/agents/ticker');
  await page.getByRole('button', { name: /^Edit/ }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 10_000 });
  violations.push(...(await captureScreen(page, 'editor', async () => {
    await dialog.getByLabel('Command').waitFor();
  })));
  for (const size of [{ width: 1280, height: 720 }, { width: 640, height: 420 }]) {
    await page.setViewportSize(size);
    const save = dialog.getByRole('button', { name: /^(Save|Stop, rename, start)/ }).first();
    await save.waitFor();
    const b = await save.boundingBox();
    assert.ok(b, 'Save has a box');
    assert.ok(b.y >= 0 && b.y + b.height <= size.height && b.x + b.width <= size.width, `Save (${JSON.stringify(b)}) is inside the ${size.width}×${size.height} viewport`);
    if (size.width === 640) await screenshot(page, 'layout-editor-640x420');
  }
  await page.setViewportSize(SIZES[0]);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });

  assert.deepEqual(violations, [], `axe-core found serious or critical violations:\n${violations.join('\n\n')}`);
  assert.deepEqual(problems, []);
});

test('a few agents show full badges (name, uptime, what it waits for) that pass axe in light and dark; a GPU column still fits', async () => {
  const node = process.execPath;
  // a stand-in nvidia-smi first on the host's PATH: the GPU column appears once an agent uses the GPU
  const { dir: gpuDir, cleanup: gpuCleanup } = await tempDir('agent-tray-gpu-');
  cleanups.push(gpuCleanup);
  const smi = await fakeNvidiaSmi(gpuDir, '');
  const served = await serveWith(cleanups, [
    { name: 'ticker', command: node, args: [fixture('well-behaved.mjs')] },
    { name: 'crasher', command: node, args: [fixture('crasher.mjs')], restart: { policy: 'no' } },
    { name: 'idle', command: node, args: [fixture('well-behaved.mjs')] },
  ], {}, { PATH: `${gpuDir}${path.delimiter}${process.env.PATH ?? ''}` });
  browser ??= await launchChromium();
  const { page, problems } = await openServed(browser, cleanups, served);
  for (const name of ['ticker', 'crasher']) await startAndTrack(served, name);
  await page.getByRole('button', { name: /^crasher: crashed/ }).waitFor({ timeout: 20_000 });
  await page.locator('.status-bar .badge__uptime').first().waitFor({ timeout: 20_000 });
  const violations = await captureScreen(page, 'agents-few', async () => {
    await page.getByRole('button', { name: /^ticker: running/ }).waitFor();
  });
  assert.equal(await page.locator('.status-bar__badges .badge--dot').count(), 0, 'three agents fit the row in full');
  // ticker uses 1.5 GB of GPU memory: the list gains a GPU column and still fits its pane (captureScreen asserts it)
  const { pid } = (await served.api('GET', '/api/agents/ticker')) as { pid: number };
  await smi.setApps(`${pid}, 1536\n`);
  await page.getByRole('columnheader', { name: /GPU/ }).waitFor({ timeout: 20_000 });
  violations.push(...(await captureScreen(page, 'agents-gpu', async () => {
    await page.getByRole('main').locator('tr', { hasText: 'ticker' }).getByText('1.5 GB').waitFor({ timeout: 10_000 });
  })));
  // its page: the header's GPU fact beside PID and uptime, the GPU memory chart under it, and still no sideways scroll
  await go(page, '#/agents/ticker');
  violations.push(...(await captureScreen(page, 'detail-gpu', async () => {
    await page.locator('.detail-fact', { hasText: 'GPU' }).getByText('1.5 GB').waitFor({ timeout: 10_000 });
  })));
  assert.deepEqual(violations, [], `axe-core found serious or critical violations:\n${violations.join('\n\n')}`);
  assert.deepEqual(problems, []);
});
