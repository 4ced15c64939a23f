// Debian's Chromium for the window benchmark, started by Playwright as a browser server so that
// its pid is known: Playwright starts it as the leader of a process group of its own, so the
// browser and every process it started (renderer, GPU, zygote) are ended by that group's id,
// also when the benchmark fails. Nothing is ended by name.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chromium } from 'playwright';
import { killPid, record } from '../lib/processes.mjs';
import { waitUntil } from '../lib/wait.mjs';

export const CHROMIUM = process.env.AGENT_TRAY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The flags: those of the browser tests (test/helpers/browser.ts), and no throttling of timers or
 * frames in a page that the headless browser might take for hidden. The frame clock stays at its
 * 60 Hz (no --disable-gpu-vsync; see the README's window benchmark section).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** The pids of the live processes in process group `pgid` (field 5 of /proc/<pid>/stat). @param {number} pgid */
export function groupMembers(pgid) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // rest[0] is the state (field 3), rest[2] the process group (field 5)
      if (Number(rest[2]) === pgid && rest[0] !== 'Z' && rest[0] !== 'X') out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * Starts Chromium and connects to it.
 * @returns {Promise<{ browser: import('playwright').Browser, pid: number, version: string, end: () => Promise<number[]> }>}
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium, or set AGENT_TRAY_CHROMIUM`);
  const server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const pid = server.process().pid;
  if (!pid) {
    await server.kill();
    throw new Error('Chromium started without a pid');
  }
  record(pid, 'chromium (window benchmark)');
  // interrupted (Ctrl-C, a crash): the whole group goes with the benchmark, not only the browser's own pid
  const onExit = () => {
    if (groupMembers(pid).length) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', onExit);
  let browser;
  try {
    browser = await chromium.connect(server.wsEndpoint());
  } catch (err) {
    await server.kill();
    process.off('exit', onExit);
    throw err;
  }
  return {
    browser,
    pid,
    version: `Chromium ${browser.version()}`,
    /** Closes the browser, then kills whatever of its process group is left; the pids that had to be killed. */
    async end() {
      process.off('exit', onExit);
      await Promise.race([browser.close().catch(() => {}).then(() => server.close()), new Promise((r) => setTimeout(r, 10_000))]).catch(() => {});
      const left = groupMembers(pid);
      if (left.length) {
        try {
          process.kill(-pid, 'SIGKILL'); // the group Playwright created for this browser
        } catch {
          for (const p of left) killPid(p);
        }
        await waitUntil(() => groupMembers(pid).length === 0, 5_000, `Chromium's processes (group ${pid}) to end`).catch(() => {});
      }
      return left;
    },
  };
}
