// `agent-tray serve` for browser tests: a host on a free port over a fresh data directory holding
// the given agents, ended (with every agent it knows) after the test; and a tab on its page.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright';
import { collectProblems } from './browser.js';
import { startCli, type Running } from './cli-process.js';
import { track } from './processes.js';
import { tempDir } from './temp-dir.js';

export interface Served {
  url: string;
  token: string;
  dir: string;
  serve: Running;
  api: (method: string, p: string, body?: unknown) => Promise<unknown>;
}

/** What a test ends after itself, in reverse order. */
export type Cleanups = (() => Promise<void> | void)[];

/** Starts `agent-tray serve` over a fresh data directory holding `agents`; its end is pushed on `cleanups`. */
export async function serveWith(cleanups: Cleanups, agents: unknown[], settings: unknown = {}, env?: NodeJS.ProcessEnv): Promise<Served> {
  const { dir, cleanup } = await tempDir('agent-tray-window-');
  writeFileSync(path.join(dir, 'agents.json'), JSON.stringify({ agents }));
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ sampleIntervalMs: 250, ...(settings as object) }));
  const serve = startCli(['serve', '--port', '0', '--data-dir', dir, '--stop-agents-on-exit'], [], env);
  const m = await serve.waitForLine(/listening on (http:\/\/\S+)\/\?token=(\S+)/, 30_000);
  const url = m[1]!;
  const token = m[2]!;
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${url}${p}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return res.json();
  };
  cleanups.push(cleanup, async () => {
    // every agent pid the host knows is ended even if the host's own shutdown fails
    const listed = (await api('GET', '/api/agents').catch(() => ({ agents: [] }))) as { agents: { pid: number | null }[] };
    for (const a of listed.agents) track(a.pid);
    process.kill(serve.pid, 'SIGTERM');
    await Promise.race([serve.exit, new Promise((r) => setTimeout(r, 15_000))]);
  });
  return { url, token, dir, serve, api };
}

/** A new tab (in a context of its own, closed after the test) on the served page at `hash`. */
export async function openServed(browser: Browser, cleanups: Cleanups, served: Served, options: BrowserContextOptions = {}, hash = ''): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const problems = collectProblems(page);
  await page.goto(`${served.url}/?token=${served.token}${hash}`);
  return { page, problems };
}
