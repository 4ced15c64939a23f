// Discovery: after Agent Tray restarts, find each configured agent that is still running and take
// it back under supervision — by its PID file (pid alive, same OS creation time, same command
// line), by its port (only if the listener's command line matches; otherwise a conflict), or by
// `discover.script` in a command line — and never touch a process that is not ours.
import path from 'node:path';
import type { AgentDefinition } from '../../shared/agent.js';
import type { DiscoveryResult } from '../../shared/discovery.js';
import type { Engine } from './engine.js';
import { pidFile } from './paths.js';
import { readPidFile, removePidFile } from './pid-file.js';
import { commandLineOf, joinCommandLine, listProcesses } from './platform/command-lines.js';

/** One string for display: macOS and Windows give the command line as one string already. */
const display = (argv: readonly string[]): string => (argv.length === 1 ? (argv[0] ?? '') : joinCommandLine([...argv]));
import { listenersOnPort } from './platform/listeners.js';
import { isProcessAlive, processStartTime } from './platform/process-table.js';
import { isActive } from './state-machine.js';

/** The file name of a program path, without a Windows extension, for comparing commands. */
function programName(p: string): string {
  const base = p.split(/[\\/]/).pop() ?? p;
  return base.replace(/\.(exe|cmd|bat)$/i, '').toLowerCase();
}

/**
 * True when a command line is this agent's: it contains `discover.script` when the agent has one;
 * otherwise its program is the agent's command (by file name) and every argument appears in order.
 */
export function commandLineMatches(argv: readonly string[], def: Pick<AgentDefinition, 'command' | 'args' | 'discover'>): boolean {
  if (argv.length === 0) return false;
  const joined = joinCommandLine([...argv]);
  if (def.discover?.script) return joined.includes(def.discover.script);
  if (argv.length === 1) {
    // one string (macOS, Windows): the whole command line as the OS reports it
    const line = argv[0] ?? '';
    const first = line.trim().split(/\s+/)[0] ?? '';
    if (programName(first.replace(/^"|"$/g, '')) !== programName(def.command) && !line.includes(def.command)) return false;
    let from = 0;
    for (const arg of def.args) {
      const at = line.indexOf(arg, from);
      if (at === -1) return false;
      from = at + arg.length;
    }
    return true;
  }
  if (programName(argv[0] ?? '') !== programName(def.command)) return false;
  const rest = argv.slice(1);
  // the agent's arguments appear as a contiguous run (an interpreter may add flags before them)
  if (def.args.length === 0) return true;
  for (let i = 0; i + def.args.length <= rest.length; i++) {
    if (def.args.every((a, j) => rest[i + j] === a || path.resolve(rest[i + j] ?? '') === path.resolve(a))) return true;
  }
  return false;
}

export interface DiscoverOptions {
  platform?: NodeJS.Platform;
  /** Only these agents (default: every defined one). */
  names?: string[];
}

/** Runs discovery for every defined agent that is not managed already; adopts what it finds. */
export async function discoverAgents(engine: Engine, opts: DiscoverOptions = {}): Promise<DiscoveryResult[]> {
  const platform = opts.platform ?? process.platform;
  const defs = engine.listDefinitions().filter((d) => !opts.names || opts.names.includes(d.name));
  let processes: Awaited<ReturnType<typeof listProcesses>> | null = null;
  const results: DiscoveryResult[] = [];
  for (const def of defs) {
    if (isActive(engine.status(def.name).state)) {
      results.push({ name: def.name, outcome: 'managed', pid: engine.status(def.name).pid, message: `${def.name} is already supervised` });
      continue;
    }
    const notes: string[] = [];
    const byPidFile = await fromPidFile(engine, def, platform, notes);
    if (byPidFile) {
      results.push(byPidFile);
      continue;
    }
    if (def.port !== undefined) {
      const byPort = await fromPort(engine, def, platform);
      if (byPort) {
        results.push({ ...byPort, message: [...notes, byPort.message].join('; ') });
        continue;
      }
    }
    if (def.discover?.script) {
      processes ??= await listProcesses(platform).catch(() => []);
      const match = processes.find((p) => p.pid !== process.pid && p.commandLine !== null && p.commandLine.includes(def.discover!.script));
      if (match) {
        await engine.adopt(def.name, {
          pid: match.pid,
          startedAt: match.startTime ?? Date.now(),
          processStartTime: match.startTime ?? (await processStartTime(match.pid, platform).catch(() => null)),
          via: 'command-line',
          commandLine: match.commandLine ?? '',
          outputCaptured: false,
        });
        results.push({ name: def.name, outcome: 'adopted', via: 'command-line', pid: match.pid, message: [...notes, `adopted pid ${match.pid} by its command line (no captured output: it was not started by Agent Tray)`].join('; ') });
        continue;
      }
    }
    results.push({ name: def.name, outcome: 'not-running', pid: null, message: [...notes, `${def.name} is not running`].join('; ') });
  }
  return results;
}

/** Step 1: the PID file. Adopts, or removes a stale or recycled one (leaving that process alone). */
async function fromPidFile(engine: Engine, def: AgentDefinition, platform: NodeJS.Platform, notes: string[]): Promise<DiscoveryResult | null> {
  const file = pidFile(engine.paths, def.name, platform);
  const content = await readPidFile(file).catch(() => null);
  if (!content) return null;
  if (content.kind === 'invalid') {
    notes.push(`removed an unreadable PID file (${content.reason})`);
    await removePidFile(file);
    return null;
  }
  const pid = content.kind === 'record' ? content.record.pid : content.pid;
  if (!isProcessAlive(pid, platform)) {
    notes.push(`removed a stale PID file (pid ${pid} is gone)`);
    await removePidFile(file);
    return null;
  }
  const argv = (await commandLineOf(pid, platform).catch(() => null)) ?? [];
  const started = await processStartTime(pid, platform).catch(() => null);
  const sameProcess = content.kind === 'legacy' || content.record.processStartTime === null || content.record.processStartTime === started;
  if (!sameProcess || !commandLineMatches(argv, def)) {
    const why = !sameProcess ? 'its creation time differs from the recorded one' : 'its command line is not this agent\'s';
    notes.push(`pid ${pid} of the PID file is another process now (${why}): the PID file was removed and that process left alone`);
    await removePidFile(file);
    return { name: def.name, outcome: 'recycled-pid', pid, message: notes.join('; ') };
  }
  await engine.adopt(def.name, {
    pid,
    startedAt: content.kind === 'record' ? content.record.startedAt : (started ?? Date.now()),
    processStartTime: started,
    via: 'pid-file',
    commandLine: display(argv),
    outputCaptured: content.kind === 'record' && content.record.logs !== undefined,
  });
  return { name: def.name, outcome: 'adopted', via: 'pid-file', pid, message: `adopted pid ${pid} from its PID file` };
}

/** Step 2: the port. Adopts the listener if it is this agent; otherwise records a conflict. */
async function fromPort(engine: Engine, def: AgentDefinition, platform: NodeJS.Platform): Promise<DiscoveryResult | null> {
  const port = def.port as number;
  const listeners = await listenersOnPort(port, platform).catch(() => []);
  const holder = listeners[0];
  if (!holder) return null;
  const argv = holder.pid !== null ? ((await commandLineOf(holder.pid, platform).catch(() => null)) ?? []) : [];
  if (holder.pid !== null && commandLineMatches(argv, def)) {
    const started = await processStartTime(holder.pid, platform).catch(() => null);
    await engine.adopt(def.name, { pid: holder.pid, startedAt: started ?? Date.now(), processStartTime: started, via: 'port', commandLine: display(argv), outputCaptured: false });
    return { name: def.name, outcome: 'adopted', via: 'port', pid: holder.pid, message: `adopted pid ${holder.pid} listening on port ${port} (no captured output: it was not started by Agent Tray)` };
  }
  const commandLine = argv.length ? display(argv) : null;
  const who = holder.pid !== null ? `pid ${holder.pid}${commandLine ? ` (${commandLine})` : ''}` : 'a process Agent Tray cannot see';
  const message = `port ${port} is held by ${who}, which is not ${def.name}: not adopted`;
  engine.setConflict(def.name, { port, pid: holder.pid, commandLine, message });
  return { name: def.name, outcome: 'conflict', pid: holder.pid, message };
}
