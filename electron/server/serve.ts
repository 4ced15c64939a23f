// `agent-tray serve`: the headless host. Takes the data directory's lock, opens the application,
// serves the REST API, the event stream and the UI, prints one line with the URL and the token,
// and on SIGINT/SIGTERM/SIGHUP shuts down gracefully; the agents keep running unless
// --stop-agents-on-exit. Its stdout and stderr may fail (a full disk, a closed pipe): it goes on.
import { AgentTrayError } from '../core/errors.js';
import { isLoopbackHost } from './host-check.js';
import { startHost, type RunningHost } from './host-runtime.js';
import { packageVersion, rendererDir } from './install-layout.js';
import { parseServeArgs, type ServeOptions } from './serve-options.js';
import { listenForShutdown, type ShutdownSignals } from './shutdown-signals.js';
import { guardStdio } from './stdio-guard.js';

/** Runs the host until a shutdown signal; resolves with the exit code (1: the lock is held or the port cannot be used). */
export async function serveCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  guardStdio(); // before the first line: a full disk or a closed pipe under stdout must not end the host
  const opts = parseServeArgs(argv);
  // from now on a signal means a graceful shutdown, even during start-up, and a second one an exit at once
  const signals = listenForShutdown(() => {
    err('agent-tray serve: second signal: exiting at once');
    process.exit(1);
  });
  try {
    return await serveUntilSignal(opts, signals, out, err);
  } finally {
    signals.finished(); // whatever the outcome: a signal from now on ends the process with its exit code
  }
}

/** Starts the host, waits for the first shutdown signal, closes the host; resolves with the exit code. */
async function serveUntilSignal(opts: ServeOptions, signals: ShutdownSignals, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let host: RunningHost;
  try {
    host = await startHost({
      dataDir: opts.paths.root,
      agentsFile: opts.agentsFile,
      kind: 'serve',
      api: { host: opts.host, port: opts.port },
      rendererDir: rendererDir(),
      version: packageVersion(),
      log: (line) => err(line.replace(/^agent-tray: /, 'agent-tray serve: ')),
    });
  } catch (e) {
    if (e instanceof AgentTrayError && (e.code === 'host-locked' || e.code === 'conflict')) {
      err(`agent-tray: ${e.message}`);
      return 1;
    }
    throw e;
  }
  if (!isLoopbackHost(opts.host)) {
    err(`agent-tray serve: warning: listening on ${opts.host}, not only on this machine: anyone who can reach it and has the token can start programs here. Use the default 127.0.0.1 unless you need remote access.`);
  }
  out(`Agent Tray listening on ${host.pageUrl}`);
  const autostart = await host.app.startAutostartAgents();
  for (const r of autostart.results) if (!r.ok) err(`agent-tray serve: autostart of ${r.name} failed: ${r.error?.message ?? r.status?.lastError?.message ?? r.status?.state}`);

  const signal = await signals.first;
  const stopAgents = opts.stopAgentsOnExit || host.app.settings.onQuit === 'stop-all';
  err(`agent-tray serve: ${signal}: shutting down${stopAgents ? ' and stopping every agent' : ''}`);
  const still = await host.close({ stopAgents });
  err(still.length ? `agent-tray serve: stopped; still running: ${still.join(', ')}` : 'agent-tray serve: stopped');
  return 0;
}
