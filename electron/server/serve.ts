// `agent-tray serve`: the headless host. Takes the data directory's lock, opens the application,
// serves the REST API, the event stream and the UI, prints one line with the URL and the token,
// and on SIGINT/SIGTERM/SIGHUP shuts down gracefully; the agents keep running unless
// --stop-agents-on-exit.
import { mkdir } from 'node:fs/promises';
import { AgentTrayApp } from '../app/application.js';
import { AgentTrayError } from '../core/errors.js';
import { isActive } from '../core/state-machine.js';
import { ensureToken, tokenFile } from './api-token.js';
import { acquireLock, type HeldLock } from './host-lock.js';
import { isLoopbackHost } from './host-check.js';
import { createHttpServer, type HttpServer } from './http-server.js';
import { packageVersion, rendererDir } from './install-layout.js';
import { parseServeArgs } from './serve-options.js';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Resolves with the first shutdown signal the process receives. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      for (const s of SHUTDOWN_SIGNALS) process.off(s, on);
      resolve(signal);
    };
    for (const s of SHUTDOWN_SIGNALS) process.on(s, on);
  });
}

/** "a (pid 1), b (pid 2)" for the agents that are still running. */
function runningAgents(app: AgentTrayApp): string[] {
  return app.engine
    .list()
    .filter((s) => isActive(s.state) && s.pid !== null)
    .map((s) => `${s.name} (pid ${s.pid})`);
}

/** Runs the host until a shutdown signal; resolves with the exit code (1: the lock is held or the port cannot be used). */
export async function serveCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const opts = parseServeArgs(argv);
  const dataDir = opts.paths.root;
  await mkdir(dataDir, { recursive: true });

  let lock: HeldLock;
  try {
    lock = await acquireLock(dataDir, 'serve'); // before anything else: two managers must never supervise the same agents
  } catch (e) {
    if (e instanceof AgentTrayError && e.code === 'host-locked') {
      err(`agent-tray: ${e.message}`);
      return 1;
    }
    throw e;
  }

  let app: AgentTrayApp | null = null;
  let server: HttpServer | null = null;
  const shutdown = nextSignal(); // from now on a signal means a graceful shutdown, even during start-up
  try {
    const token = await ensureToken(dataDir);
    app = await AgentTrayApp.open({ dataDir, agentsFile: opts.agentsFile });
    // agents still running from an earlier host are taken back before the API answers, so no
    // client sees them stopped and autostart starts no duplicate
    const found = await app.dispatch('discover', {});
    for (const r of found.results) if (r.outcome === 'adopted' || r.outcome === 'conflict' || r.outcome === 'recycled-pid') err(`agent-tray serve: ${r.name}: ${r.message}`);
    server = createHttpServer({ app, token, host: opts.host, port: opts.port, rendererDir: rendererDir(), tokenFile: tokenFile(dataDir), version: packageVersion(), log: err });
    if (!isLoopbackHost(opts.host)) {
      err(`agent-tray serve: warning: listening on ${opts.host}, not only on this machine: anyone who can reach it and has the token can start programs here. Use the default 127.0.0.1 unless you need remote access.`);
    }
    const { url } = await server.listen();
    await lock.setUrl(url);
    out(`Agent Tray listening on ${url}/?token=${token}`);
    const autostart = await app.startAutostartAgents();
    for (const r of autostart.results) if (!r.ok) err(`agent-tray serve: autostart of ${r.name} failed: ${r.error?.message ?? r.status?.lastError?.message ?? r.status?.state}`);
  } catch (e) {
    await server?.close().catch(() => undefined);
    await app?.close();
    await lock.release();
    if (e instanceof AgentTrayError && e.code === 'conflict') {
      err(`agent-tray: ${e.message}`);
      return 1;
    }
    throw e;
  }

  const signal = await shutdown;
  const force = () => {
    err('agent-tray serve: second signal: exiting at once');
    process.exit(1);
  };
  for (const s of SHUTDOWN_SIGNALS) process.once(s, force);
  const stopAgents = opts.stopAgentsOnExit || app.settings.onQuit === 'stop-all';
  err(`agent-tray serve: ${signal}: shutting down${stopAgents ? ' and stopping every agent' : ''}`);
  try {
    await server.close();
    await app.close({ stopAgents });
    const still = runningAgents(app);
    err(still.length ? `agent-tray serve: stopped; still running: ${still.join(', ')}` : 'agent-tray serve: stopped');
  } finally {
    await lock.release();
    for (const s of SHUTDOWN_SIGNALS) process.off(s, force);
  }
  return 0;
}
