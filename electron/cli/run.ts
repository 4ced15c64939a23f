// `agent-tray run [NAME...]`: starts agents with the engine in the foreground and streams their
// output; Ctrl-C (or SIGTERM) stops every one of them, whole trees, before it exits.
import { loadAgentsFile } from '../app/agents-file.js';
import { Engine } from '../core/engine.js';
import { unknownAgent } from '../core/errors.js';
import type { EngineEvent } from '../../shared/status.js';
import { parseCommon } from './options.js';

/** Runs until every started agent has ended; resolves with 0 when all ended well, 1 otherwise. */
export async function runCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { paths, agentsFile, positionals } = parseCommon(argv);
  const file = await loadAgentsFile(agentsFile);
  const engine = new Engine({ dataDir: paths.root });
  engine.setDefinitions(file.agents);
  const known = file.agents.map((a) => a.name);
  const names = positionals.length ? positionals : known;
  for (const n of names) if (!known.includes(n)) throw unknownAgent(n, known);
  if (names.length === 0) {
    out(`No agents in ${agentsFile}; add one and run again.`);
    return 0;
  }

  const width = Math.max(...names.map((n) => n.length));
  const tag = (n: string) => `[${n.padEnd(width)}]`;
  let failed = false;
  const ended = new Set<string>();
  let allEnded!: () => void;
  const done = new Promise<void>((resolve) => (allEnded = resolve));
  engine.subscribe((e: EngineEvent) => {
    if (!names.includes(e.name)) return;
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
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);

  const results = await Promise.allSettled(names.map((n) => engine.start(n)));
  for (const r of results) if (r.status === 'rejected') out(`error: ${(r.reason as Error).message}`);
  await done;
  process.off('SIGINT', stopAll);
  process.off('SIGTERM', stopAll);
  await engine.close();
  return failed ? 1 : 0;
}
