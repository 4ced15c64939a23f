// `agent-tray open [NAME] [--print]`: the window of the running host (its web UI, with the token)
// in the default browser, at an agent's page when NAME is given; --print prints the URL instead.
// `open NAME --url`: what the agent serves (its status url) instead of the window.
// The browser: $BROWSER when set, else `open` (macOS), `xdg-open` (Linux and the BSDs) or the URL
// handler of Windows (rundll32 url.dll, which needs no quoting of & the way `cmd /c start` does).
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ClientError, connect, dataDirFrom, request, runClientCommand, UsageError } from './client.js';
import type { AgentStatus } from '../../shared/status.js';
import type { Line } from './commands.js';

export const OPEN_USAGE = 'agent-tray open [NAME [--url]] [--print] [--data-dir DIR]';

/** The window's address: the host's page with its token, and `#/agents/NAME` for an agent. */
export function windowUrl(hostUrl: string, token: string, name: string | null): string {
  const url = new URL('/', hostUrl);
  url.searchParams.set('token', token);
  url.hash = name === null ? '' : `/agents/${encodeURIComponent(name)}`;
  return url.href;
}

/** The program and arguments that open `url` in the default browser on `platform`. */
export function opener(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): { command: string; args: string[] } {
  const browser = env.BROWSER?.trim();
  if (browser) return { command: browser, args: [url] };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

/** How long an opener that ends at once is waited for: xdg-open without a desktop fails within this. */
const OPENER_GRACE_MS = 2_000;

/** Starts the opener; resolves once it exited well or still runs after a moment (then left on its own), rejects with a `ClientError` naming the address when it cannot start or fails at once. */
function launch(url: string): Promise<void> {
  const { command, args } = opener(url);
  const yourself = `Open this address yourself: ${url} (or set BROWSER to the browser to use)`;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    const timer = setTimeout(() => {
      child.unref(); // a browser started in the foreground: it is the person's now
      resolve();
    }, OPENER_GRACE_MS);
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ClientError(`Could not open a browser: ${command} ${e.code === 'ENOENT' ? 'was not found' : `failed (${e.code ?? e.message})`}. ${yourself}`, 'no-browser'));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new ClientError(`Could not open a browser: ${command} ended with ${code !== null ? `exit code ${code}` : `signal ${signal}`} (no desktop session?). ${yourself}`, 'no-browser'));
    });
  });
}

/** The agent's own URL (its status url, http or https only), or a `ClientError` saying how to give it one. */
export function agentOwnUrl(agent: Pick<AgentStatus, 'name' | 'url'>): string {
  if (!agent.url) throw new ClientError(`${agent.name} has no URL: it has no "url" or "port" in its definition and printed no local address in this run. Add "url" (or "port") to its definition, or start it if it prints one.`, 'no-url');
  if (!/^https?:\/\//i.test(agent.url)) throw new ClientError(`${agent.name}'s URL ${agent.url} is not an http(s) address; Agent Tray opens only those. Fix "url" in its definition.`, 'no-url');
  return agent.url;
}

/** Opens (or prints) the window's URL; 0, or 1 with the reason (no host, unknown agent, no browser). */
export function openCommand(argv: string[], out: Line, err: Line): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, print: { type: 'boolean', default: false }, url: { type: 'boolean', default: false } } });
    if (positionals.length > 1) throw new UsageError(`one agent NAME at most (got ${positionals.join(', ')})\nUsage: ${OPEN_USAGE}`);
    const name = positionals[0] ?? null;
    if (values.url && name === null) throw new UsageError(`--url opens what an agent serves: name the agent\nUsage: ${OPEN_USAGE}`);
    const conn = await connect(dataDirFrom(values['data-dir']));
    // an unknown agent: the host's words, not a page that shows nothing
    const agent = name === null ? null : await request(conn, 'getAgent', { name });
    const url = values.url && agent ? agentOwnUrl(agent) : windowUrl(conn.url, conn.token, name);
    if (values.print) {
      out(url);
      return 0;
    }
    await launch(url);
    if (values.url) out(`Opened ${name} (${url}) in the browser`);
    else out(`Opened ${name === null ? 'the Agent Tray window' : `${name} in the Agent Tray window`} in the browser (${conn.url})`);
    return 0;
  });
}
