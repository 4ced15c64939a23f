// `agent-tray run [NAME...]`: starts agents with the engine in the foreground and streams their
// output; Ctrl-C (or SIGTERM) stops every one of them, whole trees, before it exits. It is a
// manager of the data directory like `serve` and the app: it holds the data directory's lock while
// it runs, so it refuses to start while a host supervises the directory, and a host started
// meanwhile refuses too (two managers would start second copies and overwrite the PID files).
import { loadAgentsFile } from '../app/agents-file.js';
import { Engine } from '../core/engine.js';
import { AgentTrayError, unknownAgent } from '../core/errors.js';
import { ensurePrivateDir } from '../core/private-dir.js';
import { acquireLock, type HeldLock, type HostLock } from '../server/host-lock.js';
import type { EngineEvent } from '../../shared/status.js';
import { parseCommon } from './options.js';

/** The line `run` prints when another manager holds the lock: who (pid, URL) and what to do instead. */
export function lockRefusal(holder: HostLock, dataDir: string): string {
  const who = holder.kind === 'tray' ? 'the Agent Tray app' : holder.kind === 'run' ? '`agent-tray run` in another terminal' : '`agent-tray serve`';
  const where = holder.url ? ` at ${holder.url}` : '';
  const instead = holder.kind === 'run' ? 'use that terminal, or stop it (Ctrl-C) first' : 'use it (agent-tray start NAME, agent-tray logs NAME --follow), or stop it first';
  return `agent-tray run: ${dataDir} is supervised by ${who} (pid ${holder.pid})${where}; running its agents here as well would start second copies. Instead, ${instead}, or choose another --data-dir`;
}

/** Runs until every started agent has ended; resolves with 0 when all ended well, 1 otherwise (also when another manager holds the data directory). */
export async function runCommand(argv: string[], out: (line: string) => void, err: (line: string) => void = console.error): Promise<number> {
  const { paths, agentsFile, positionals } = parseCommon(argv);
  const file = await loadAgentsFile(agentsFile);
  const known = file.agents.map((a) => a.name);
  const names = positionals.length ? positionals : known;
  for (const n of names) if (!known.includes(n)) throw unknownAgent(n, known);
  if (names.length === 0) {
    out(`No agents in ${agentsFile}; add one and run again.`);
    return 0;
  }
  await ensurePrivateDir(paths.root, { tighten: false });
  let lock: HeldLock;
  try {
    lock = await acquireLock(paths.root, 'run');
  } catch (e) {
    if (!(e instanceof AgentTrayError && e.code === 'host-locked' && e.details.holder)) throw e;
    err(lockRefusal(e.details.holder as HostLock, paths.root));
    return 1;
  }
  try {
    return await runAgents(paths.root, file.agents, names, out);
  } finally {
    await lock.release();
  }
}

/** Starts `names` and streams their output until every one has ended. */
async function runAgents(dataDir: string, agents: Parameters<Engine['setDefinitions']>[0], names: string[], out: (line: string) => void): Promise<number> {
  const engine = new Engine({ dataDir });
  engine.setDefinitions(agents);

  const width = Math.max(...names.map((n) => n.length));
  const tag = (n: string) => `[${n.padEnd(width)}]`;
  let failed = false;
  const ended = new Set<string>();
  let allEnded!: () => void;
  const done = new Promise<void>((resolve) => (allEnded = resolve));
  engine.subscribe((e: EngineEvent) => {
    if (e.name === null || !names.includes(e.name)) return;
    if (e.type === 'log') {
      for (const l of e.lines) out(`${tag(e.name)} ${l.stream === 'stderr' ? '! ' : ''}${l.text}`);
      return;
    }
    if (e.type !== 'state') return;
    out(`${tag(e.name)} ● ${e.to}: ${e.reason.message}`);
    if (e.to === 'crashed' || e.to === 'errored') failed = true;
    if (e.to === 'stopped' || e.to === 'crashed' || e.to === 'errored') {
      ended.add(e.name);
      if (ended.size === names.length) allEnded();
    }
  });

  let stopping = false;
  const stopAll = () => {
    if (stopping) return;
    stopping = true;
    out('Stopping every agent (whole process trees)…');
    void Promise.all(names.map((n) => engine.stop(n))).then(() => allEnded());
  };
  // `on`, and kept until the engine is closed: a moment without our listener lets signal-exit
  // (loaded by write-file-atomic during every atomic write) re-send the signal and end this
  // process without stopping the agents (see electron/server/shutdown-signals.ts)
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);

  const results = await Promise.allSettled(names.map((n) => engine.start(n)));
  for (const r of results) if (r.status === 'rejected') out(`error: ${(r.reason as Error).message}`);
  await done;
  await engine.close();
  process.off('SIGINT', stopAll);
  process.off('SIGTERM', stopAll);
  return failed ? 1 : 0;
}
