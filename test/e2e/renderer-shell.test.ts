// The built window page in real Chromium, served over HTTP from a sub-path as the headless host
// will serve it: relative assets, and no Content-Security-Policy violation or script error.
// (Plain Chromium refuses module scripts from file://; Electron allows them for its own pages.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { collectProblems, launchChromium } from '../helpers/browser.js';

const page = new URL('../../dist/renderer/index.html', import.meta.url);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** Serves dist/renderer under /ui/ on 127.0.0.1 and a free port. */
async function serveRenderer(): Promise<{ url: string; close: () => Promise<void> }> {
  const root = path.dirname(page.pathname);
  const server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').replace(/^\/ui\//, '').split('?')[0] ?? '') || 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/ui/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('the built renderer loads under its strict CSP with relative assets', async () => {
  assert.ok(existsSync(page), 'dist/renderer/index.html exists (npm test builds first; run `npm run build`)');
  const browser = await launchChromium();
  const server = await serveRenderer();
  try {
    const tab = await browser.newPage();
    const problems = collectProblems(tab);
    await tab.goto(server.url);
    // without a token the page says how to get one
    await tab.getByRole('heading', { name: 'Agent Tray' }).waitFor({ timeout: 10_000 });
    await tab.getByText('Open the URL that `agent-tray serve` printed').waitFor({ timeout: 10_000 });
    assert.equal(await tab.title(), 'Agent Tray');
    const csp = await tab.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /^default-src 'none'/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
