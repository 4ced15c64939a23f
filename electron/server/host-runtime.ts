// One way to bring a host up and down, shared by `agent-tray serve` and the tray app: take the data
// directory's lock, open the application, take back agents still running from an earlier host,
// serve the API (and the UI), and on the way down close in the reverse order. Autostart is left
// to the caller, which first tells the person where the host listens. The data directory and its
// logs/ and run/ folders are private (0700); a failing stdout or stderr never ends the host.
import type { Settings } from '../../shared/settings.js';
import { AgentTrayApp } from '../app/application.js';
import { AgentTrayError } from '../core/errors.js';
import { dataPaths } from '../core/paths.js';
import { ensurePrivateDir } from '../core/private-dir.js';
import type { SecretStore } from '../core/secrets/secret-store.js';
import { isActive } from '../core/state-machine.js';
import { guardStdio } from './stdio-guard.js';
import { ensureToken, tokenFile } from './api-token.js';
import { acquireLock, type HeldLock, type HostLock } from './host-lock.js';
import { createHttpServer, type HttpServer } from './http-server.js';

export interface HostApiOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** When the port is taken, listen on any free port instead of failing (the tray app). */
  fallbackToAnyPort?: boolean;
}

export interface StartHostOptions {
  dataDir: string;
  /** The agents file (default: agents.json in the data directory). */
  agentsFile?: string;
  kind: HostLock['kind'];
  /** Where to serve the REST API, possibly from the settings; null: no API (the tray app with the API turned off). */
  api: HostApiOptions | null | ((settings: Settings) => HostApiOptions | null);
  /** The built renderer served at `/`; null: none. */
  rendererDir: string | null;
  version: string;
  /** Lines for the person running the host (adoptions, warnings). */
  log(line: string): void;
  /** Where agents' secrets are kept (the desktop app: its keychain store); default <dataDir>/secrets.json. */
  secrets?: (dataDir: string) => Promise<SecretStore>;
}

export interface RunningHost {
  readonly app: AgentTrayApp;
  readonly token: string;
  /** Where the API listens (without the token); null when it does not. */
  readonly url: string | null;
  /** The URL a browser opens, token included; null without an API. */
  readonly pageUrl: string | null;
  /** Closes the API and the application (stopping every agent when asked) and releases the lock; returns the agents still running, as "name (pid N)". */
  close(opts: { stopAgents: boolean }): Promise<string[]>;
}

/** "a (pid 1), b (pid 2)" for the agents that are still running. */
export function runningAgents(app: AgentTrayApp): string[] {
  return app.engine
    .list()
    .filter((s) => isActive(s.state) && s.pid !== null)
    .map((s) => `${s.name} (pid ${s.pid})`);
}

/** Creates the server and listens; on a taken port, once more on any free port when allowed. */
async function listen(opts: Omit<StartHostOptions, 'api'> & { api: HostApiOptions }, app: AgentTrayApp, token: string): Promise<{ server: HttpServer; url: string }> {
  const make = (port: number) =>
    createHttpServer({ app, token, host: opts.api.host, port, rendererDir: opts.rendererDir, tokenFile: tokenFile(opts.dataDir), version: opts.version, log: opts.log });
  const server = make(opts.api.port);
  try {
    return { server, url: (await server.listen()).url };
  } catch (err) {
    await server.close().catch(() => undefined);
    if (!(opts.api.fallbackToAnyPort && opts.api.port !== 0 && err instanceof AgentTrayError && err.code === 'conflict')) throw err;
    opts.log(`agent-tray: ${err.message}; the API listens on another port instead (the CLI finds it through the data directory)`);
    const other = make(0);
    return { server: other, url: (await other.listen()).url };
  }
}

/** "0755" for a mode. */
const octal = (mode: number): string => `0${mode.toString(8)}`;

/** Creates the data directory 0700 (an existing one others may read is left, with a note) and its logs/ and run/ folders 0700 (tightened when looser). */
async function makeDataDirs(dataDir: string, log: (line: string) => void): Promise<void> {
  const root = await ensurePrivateDir(dataDir, { tighten: false });
  if (root.looseMode !== null) {
    log(`agent-tray: note: the data directory ${dataDir} is open to other users (mode ${octal(root.looseMode)}); the files in it are private (0600), but to hide their names too: chmod 700 '${dataDir}'`);
  }
  const paths = dataPaths(dataDir);
  for (const dir of [paths.logs, paths.run]) {
    const sub = await ensurePrivateDir(dir, { tighten: true });
    if (sub.looseMode !== null) log(`agent-tray: note: ${dir} is open to other users (mode ${octal(sub.looseMode)}) and could not be changed to 0700`);
  }
}

/** Brings a host up; throws `host-locked` when another manager supervises the data directory. */
export async function startHost(opts: StartHostOptions): Promise<RunningHost> {
  guardStdio();
  await ensurePrivateDir(opts.dataDir, { tighten: false });
  // before anything else: two managers must never supervise the same agents
  const lock: HeldLock = await acquireLock(opts.dataDir, opts.kind);
  let app: AgentTrayApp | null = null;
  let server: HttpServer | null = null;
  try {
    await makeDataDirs(opts.dataDir, opts.log);
    const token = await ensureToken(opts.dataDir);
    const secrets = opts.secrets ? await opts.secrets(opts.dataDir) : undefined;
    app = await AgentTrayApp.open({ dataDir: opts.dataDir, ...(opts.agentsFile ? { agentsFile: opts.agentsFile } : {}), ...(secrets ? { secrets } : {}) });
    // agents still running from an earlier host are taken back before the API answers, so no
    // client sees them stopped and autostart starts no duplicate
    const found = await app.dispatch('discover', {});
    for (const r of found.results) if (r.outcome === 'adopted' || r.outcome === 'conflict' || r.outcome === 'recycled-pid' || r.resumed) opts.log(`agent-tray: ${r.name}: ${r.message}`);
    let url: string | null = null;
    const api = typeof opts.api === 'function' ? opts.api(app.settings) : opts.api;
    if (api) {
      ({ server, url } = await listen({ ...opts, api }, app, token));
      // the API works without it; only the CLI's way of finding the host does not
      await lock.setUrl(url).catch((err: unknown) => opts.log(`agent-tray: ${err instanceof Error ? err.message : String(err)}; the CLI will not find this host (pass its URL yourself)`));
    }
    const opened = app;
    const openedServer = server;
    return {
      app: opened,
      token,
      url,
      pageUrl: url ? `${url}/?token=${token}` : null,
      async close({ stopAgents }) {
        try {
          await openedServer?.close();
          await opened.close({ stopAgents });
          return runningAgents(opened);
        } finally {
          await lock.release();
        }
      },
    };
  } catch (err) {
    await server?.close().catch(() => undefined);
    await app?.close();
    await lock.release();
    throw err;
  }
}
