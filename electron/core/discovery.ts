// Discovery: after Agent Tray restarts, find each configured agent that is still running and take
// it back under supervision — by its PID file (pid alive, same OS creation time, and the agent's
// marker variables with the recorded run id, or else its command line), by the marker variables
// alone (a host killed between spawn and PID file), by its port (only if the listener's command
// line matches; otherwise a conflict), or by `discover.script` in a command line — and never touch
// a process that is not ours. What the previous host's supervision remembered (a retry pending, a
// crash and its reason, the restart budget) is carried on.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { AgentDefinition } from '../../shared/agent.js';
import type { DiscoveryResult } from '../../shared/discovery.js';
import type { Engine } from './engine.js';
import { pidFile } from './paths.js';
import { substitutePort } from './on-demand/port-env.js';
import { readPidFile, removePidFile, type PidRecord } from './pid-file.js';
import { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, findMarkedProcesses, type MarkedProcess } from './platform/marker-processes.js';
import { readEnvVar } from './platform/process-env.js';
import { readState, removeState, stateFile, type PersistedState } from './run-state.js';
import { commandLineOf, joinCommandLine, listProcesses } from './platform/command-lines.js';
import { listenersOnPort } from './platform/listeners.js';
import { isProcessAlive, processStartTime } from './platform/process-table.js';
import { isActive } from './state-machine.js';

/** One string for display: macOS and Windows give the command line as one string already. */
const display = (argv: readonly string[]): string => (argv.length === 1 ? (argv[0] ?? '') : joinCommandLine([...argv]));

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
  return commandStarts(argv, def).some((at) => argsFollow(argv.slice(at + 1), def.args));
}

/**
 * Where the agent's command stands in `argv`: first, or after an interpreter and its flags. A
 * script run through its `#!` line shows as `/bin/sh /path/script args` or `python3 -u
 * /path/script args` (the kernel puts the interpreter and its one optional argument first).
 */
function commandStarts(argv: readonly string[], def: Pick<AgentDefinition, 'command'>): number[] {
  const want = programName(def.command);
  const at: number[] = [];
  if (programName(argv[0] ?? '') === want) at.push(0);
  for (let i = 1; i < Math.min(argv.length, 4); i++) {
    const part = argv[i] ?? '';
    if (programName(part) === want) {
      at.push(i);
      break;
    }
    if (!part.startsWith('-')) break; // only an interpreter's flags may stand between it and the script
  }
  return at;
}

/** True when `args` appear in `rest` as a contiguous run (an interpreter may add flags before them). */
function argsFollow(rest: readonly string[], args: readonly string[]): boolean {
  if (args.length === 0) return true;
  for (let i = 0; i + args.length <= rest.length; i++) {
    if (args.every((a, j) => rest[i + j] === a || path.resolve(rest[i + j] ?? '') === path.resolve(a))) return true;
  }
  return false;
}

/** The processes of one scan that carry `name`'s markers, and the roots among them (a marked parent is not also marked with the same name). */
function rootsOf(marked: readonly MarkedProcess[], name: string): MarkedProcess[] {
  const mine = marked.filter((m) => m.name === name);
  const pids = new Set(mine.map((m) => m.pid));
  return mine.filter((m) => !pids.has(m.ppid));
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
  // the process list and the marker scan are read once, for every agent (Linux /proc, macOS ps; no markers on Windows yet)
  let processes: ReturnType<typeof listProcesses> | null = null;
  let scan: Promise<MarkedProcess[]> | null = null;
  const marked = () => (scan ??= findMarkedProcesses({ dataDir: engine.paths.root, platform }).catch(() => []));

  /** Discovery of one agent; agents are looked for side by side (their files and adoptions are their own). */
  const one = async (def: AgentDefinition): Promise<DiscoveryResult> => {
    if (isActive(engine.status(def.name).state)) return { name: def.name, outcome: 'managed', pid: engine.status(def.name).pid, message: `${def.name} is already supervised` };
    const notes: string[] = [];
    const saved = await readState(stateFile(engine.paths, def.name));
    const byPidFile = await fromPidFile(engine, def, platform, notes, saved, marked);
    if (byPidFile?.outcome === 'adopted') return byPidFile;
    const byMarker = await fromMarkers(engine, def, await marked(), saved);
    if (byMarker) return { ...byMarker, message: [...notes, byMarker.message].join('; ') };
    if (byPidFile) return carryOn(engine, def.name, saved, byPidFile);
    // an on-demand agent never listens on its own port (Agent Tray's relay does): only its files and markers find it
    if (def.port !== undefined && !def.onDemand) {
      const byPort = await fromPort(engine, def, platform, saved);
      if (byPort) return { ...byPort, message: [...notes, byPort.message].join('; ') };
    }
    if (def.discover?.script) {
      const list = await (processes ??= listProcesses(platform).catch(() => []));
      const match = list.find((p) => p.pid !== process.pid && p.commandLine !== null && p.commandLine.includes(def.discover!.script));
      if (match) {
        await engine.adopt(def.name, {
          pid: match.pid,
          startedAt: match.startTime ?? Date.now(),
          processStartTime: match.startTime ?? (await processStartTime(match.pid, platform).catch(() => null)),
          via: 'command-line',
          commandLine: match.commandLine ?? '',
          outputCaptured: false,
          saved,
        });
        return { name: def.name, outcome: 'adopted', via: 'command-line', pid: match.pid, message: [...notes, `adopted pid ${match.pid} by its command line (no captured output: it was not started by Agent Tray)`].join('; ') };
      }
    }
    return carryOn(engine, def.name, saved, { name: def.name, outcome: 'not-running', pid: null, message: [...notes, `${def.name} is not running`].join('; ') });
  };
  const results = await Promise.all(defs.map(one));
  engine.startResumedWaits(); // a resumed wait starts its dependencies only now: what still runs was taken back, not started twice
  if (!opts.names) await forgetUndefined(engine);
  return results;
}

/** Removes the state files of agents that are no longer defined: nothing of theirs is carried on, and a new agent of that name starts afresh. */
async function forgetUndefined(engine: Engine): Promise<void> {
  const defined = new Set(engine.listDefinitions().map((d) => d.name));
  const files = await readdir(engine.paths.run).catch(() => [] as string[]);
  const suffix = '.state.json';
  await Promise.all(files.filter((f) => f.endsWith(suffix) && !defined.has(f.slice(0, -suffix.length))).map((f) => removeState(path.join(engine.paths.run, f)).catch(() => undefined)));
}

/** An agent not found running: the previous host's supervision (a pending retry, a crash) goes on. */
async function carryOn(engine: Engine, name: string, saved: PersistedState | null, result: DiscoveryResult): Promise<DiscoveryResult> {
  if (!saved) return result;
  const status = await engine.resume(name, saved);
  if (!status) return result;
  const resumed = status.state === 'backoff' || status.state === 'crashed' || status.state === 'errored' ? status.state : undefined;
  return { ...result, ...(resumed ? { resumed } : {}), message: `${result.message}; ${status.state === 'backoff' ? 'its restart policy carries on: it restarts' : `it stays ${status.state}`} as before Agent Tray restarted` };
}

/** Step 2: the marker variables, for an agent whose PID file is missing (a host killed between spawn and PID file). */
async function fromMarkers(engine: Engine, def: AgentDefinition, marked: readonly MarkedProcess[], saved: PersistedState | null): Promise<DiscoveryResult | null> {
  const roots = rootsOf(marked, def.name);
  if (roots.length === 0) return null;
  // the run the previous host recorded first, then the oldest
  const byAge = [...roots].sort((a, b) => (a.startTime ?? Infinity) - (b.startTime ?? Infinity) || a.pid - b.pid);
  const root = byAge.find((r) => saved?.runId && r.runId === saved.runId) ?? (byAge[0] as MarkedProcess);
  const started = root.startTime ?? (await processStartTime(root.pid).catch(() => null));
  await engine.adopt(def.name, {
    pid: root.pid,
    startedAt: started ?? Date.now(),
    processStartTime: started,
    via: 'marker',
    commandLine: root.commandLine ?? '',
    outputCaptured: true, // started by a host of this data directory, with its log files
    runId: root.runId,
    saved,
  });
  const others = roots.length > 1 ? ` (${roots.length - 1} more process${roots.length > 2 ? 'es' : ''} of it run${roots.length > 2 ? '' : 's'}: pid ${roots.filter((r) => r !== root).map((r) => r.pid).join(', ')}; they are stopped with it)` : '';
  return { name: def.name, outcome: 'adopted', via: 'marker', pid: root.pid, message: `adopted pid ${root.pid} by its marker variables (its PID file was missing)${others}` };
}

/**
 * Whether `pid` carries this agent's markers: 'same' (its name, this data directory, and the
 * recorded run id when there is one), 'other' (markers of another agent, directory or run), or
 * 'unknown' (none readable: an older version's agent, or a platform that cannot tell).
 */
async function markerIdentity(pid: number, def: AgentDefinition, record: PidRecord | null, marked: () => Promise<MarkedProcess[]>, dataDir: string): Promise<'same' | 'other' | 'unknown'> {
  const hit = (await marked()).find((m) => m.pid === pid);
  if (!hit) {
    // the scan sees only this data directory's processes: is it marked for another one?
    const name = readEnvVar(pid, AGENT_MARKER_VARIABLE);
    return name !== null && (name !== def.name || readEnvVar(pid, DATA_DIR_VARIABLE) !== dataDir) ? 'other' : 'unknown';
  }
  if (hit.name !== def.name) return 'other';
  if (record?.runId && hit.runId !== record.runId) return 'other';
  return 'same';
}

/** Step 1: the PID file. Adopts, or removes a stale or recycled one (leaving that process alone). */
async function fromPidFile(engine: Engine, def: AgentDefinition, platform: NodeJS.Platform, notes: string[], saved: PersistedState | null, marked: () => Promise<MarkedProcess[]>): Promise<DiscoveryResult | null> {
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
  // ours beyond doubt when it carries this agent's markers and run id; the command line decides
  // only where no markers can be read (a script agent's shows its interpreter first)
  const identity = sameProcess ? await markerIdentity(pid, def, content.kind === 'record' ? content.record : null, marked, engine.paths.root) : 'other';
  // the engine falls back to the state file's port when it speaks of the same run
  const internalPort = content.kind === 'record' ? (content.record.internalPort ?? null) : null;
  if (!sameProcess || identity === 'other' || (identity === 'unknown' && !commandLineMatches(argv, withPortIn(def, internalPort)))) {
    const why = !sameProcess ? 'its creation time differs from the recorded one' : identity === 'other' ? 'it carries the markers of another agent, data directory or run' : 'its command line is not this agent\'s';
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
    runId: content.kind === 'record' ? (content.record.runId ?? null) : null,
    saved,
    internalPort,
  });
  return { name: def.name, outcome: 'adopted', via: 'pid-file', pid, message: `adopted pid ${pid} from its PID file` };
}

/** The definition with an on-demand run's port in its args, as that run's command line shows them (unchanged without a port). */
function withPortIn(def: AgentDefinition, port: number | null): AgentDefinition {
  return port === null ? def : { ...def, args: def.args.map((a) => substitutePort(a, port)) };
}

/** Step 2: the port. Adopts the listener if it is this agent; otherwise records a conflict. */
async function fromPort(engine: Engine, def: AgentDefinition, platform: NodeJS.Platform, saved: PersistedState | null): Promise<DiscoveryResult | null> {
  const port = def.port as number;
  const listeners = await listenersOnPort(port, platform).catch(() => []);
  const holder = listeners[0];
  if (!holder) return null;
  const argv = holder.pid !== null ? ((await commandLineOf(holder.pid, platform).catch(() => null)) ?? []) : [];
  if (holder.pid !== null && commandLineMatches(argv, def)) {
    const started = await processStartTime(holder.pid, platform).catch(() => null);
    await engine.adopt(def.name, { pid: holder.pid, startedAt: started ?? Date.now(), processStartTime: started, via: 'port', commandLine: display(argv), outputCaptured: false, saved });
    return { name: def.name, outcome: 'adopted', via: 'port', pid: holder.pid, message: `adopted pid ${holder.pid} listening on port ${port} (no captured output: it was not started by Agent Tray)` };
  }
  const commandLine = argv.length ? display(argv) : null;
  const who = holder.pid !== null ? `pid ${holder.pid}${commandLine ? ` (${commandLine})` : ''}` : 'a process Agent Tray cannot see';
  const message = `port ${port} is held by ${who}, which is not ${def.name}: not adopted`;
  engine.setConflict(def.name, { port, pid: holder.pid, commandLine, message });
  return { name: def.name, outcome: 'conflict', pid: holder.pid, message };
}
