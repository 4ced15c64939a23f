// Renaming an agent that does not run: its log files (both streams, current and rotated), its runs
// in the history, its state file and a stale PID file go with it, and so does what the engine and
// the supervisor hold in memory. Files and history move first, the definition is saved last; when
// any step fails, what was moved is put back and agents.json is left as it was. Leftovers of an
// earlier agent of the new name (removed with its logs left behind) are set aside, never
// overwritten: their logs and runs take the name `<new>.earlier-<UTC time>` (see asideName).
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AgentDefinition } from '../../shared/agent.js';
import { AGENT_NAME_MAX_LENGTH } from '../../shared/agent.js';
import { escapeRegExp } from '../../shared/regexp.js';
import { AgentTrayError } from '../core/errors.js';
import { fileError } from '../core/io-errors.js';
import { pidFile, type DataPaths } from '../core/paths.js';
import { readPidFile } from '../core/pid-file.js';
import { isProcessAlive, processStartTime } from '../core/platform/process-table.js';
import { stateFile } from '../core/run-state.js';
import { isActive } from '../core/state-machine.js';
import type { AgentTrayApp } from './application.js';
import { refuseIfDependedOn } from './agent-store.js';
import { refuseCaseCollision } from './name-collision.js';
import { refuseStackProblems } from './stack-check.js';

/** One file to rename. */
interface Move {
  from: string;
  to: string;
}

/** What a rename does to the files, worked out before anything changes. */
interface RenamePlan {
  /** Leftovers of an earlier agent of the new name, set aside first (their logs under the aside name). */
  aside: Move[];
  /** The agent's own files, to their names under the new name. */
  moves: Move[];
  /** Removed once the definition is saved: stale PID files, the set-aside state and PID files of the earlier agent. */
  discard: string[];
  /** The history's renames (new → aside when it holds runs of the new name, old → new). */
  history: Map<string, string>;
  /** The name leftovers were set aside under; null when there were none. */
  asideName: string | null;
}

/** The names in logs/ that belong to agent `name`: `<name>.out.log`, `<name>.err.log`, their rotated copies (`.1`, `.2`, …) and copies a rotation left (`.rotating`, `.rotating.N`). */
export function logFilePattern(name: string): RegExp {
  return new RegExp(`^${escapeRegExp(name)}\\.(out|err)\\.log(\\.\\d+|\\.rotating(\\.\\d+)?)?$`);
}

/** The name the leftovers of an earlier agent called `name` are kept under: `<name>.earlier-<YYYYMMDDTHHMMSSZ>` (shortened to a valid agent name), `-2`, `-3`, … when taken. */
export function asideName(name: string, now: Date, taken: (candidate: string) => boolean): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const suffix = `.earlier-${stamp}${n === 1 ? '' : `-${n}`}`;
    const candidate = `${name.slice(0, AGENT_NAME_MAX_LENGTH - suffix.length)}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}

/** The pid of the live process a PID file names (the same process: its creation time matches); null when there is none or it is gone. */
export async function livePidOf(file: string, platform: NodeJS.Platform): Promise<number | null> {
  const content = await readPidFile(file).catch(() => null);
  if (!content || content.kind === 'invalid') return null;
  const pid = content.kind === 'record' ? content.record.pid : content.pid;
  if (!isProcessAlive(pid, platform)) return null;
  if (content.kind === 'record' && content.record.processStartTime !== null) {
    const started = await processStartTime(pid, platform).catch(() => null);
    if (started !== null && started !== content.record.processStartTime) return null; // a recycled pid
  }
  return pid;
}

/** True when a file (not following links) exists. */
async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses, before anything is stopped or moved, a rename that agents.json would refuse (name
 * taken, a case twin, dependents, a stack problem) or that would mix two agents' processes: an
 * agent of the new name removed from agents.json that still runs, or a live process in the new
 * name's PID file.
 */
export async function checkRename(app: AgentTrayApp, from: string, def: AgentDefinition): Promise<void> {
  const to = def.name;
  const agents = app.store.list();
  if (agents.some((a) => a.name === to)) {
    throw new AgentTrayError('agent-exists', `Cannot rename "${from}" to "${to}": that name is taken`, { hint: 'Choose another name', details: { name: to } });
  }
  refuseCaseCollision(to, agents.map((a) => a.name), from);
  refuseIfDependedOn(agents, from, `renamed to "${to}"`);
  refuseStackProblems(agents.map((a) => (a.name === from ? def : a)));
  const other = app.engine.list().find((s) => s.name === to);
  if (other && isActive(other.state)) {
    throw new AgentTrayError('conflict', `Agent "${from}" was not renamed to "${to}": an agent of that name, removed from agents.json, still runs (pid ${other.pid ?? 'unknown'})`, {
      hint: `Stop "${to}" first (POST /api/agents/${to}/stop), then rename`,
      details: { name: from, to, pid: other.pid },
    });
  }
  const pid = await livePidOf(pidFile(app.engine.paths, to, app.platform), app.platform);
  if (pid !== null) {
    throw new AgentTrayError('conflict', `Agent "${from}" was not renamed to "${to}": the PID file of "${to}" names pid ${pid}, which still runs (an earlier agent of that name)`, {
      hint: `Stop it (POST /api/orphans/${pid}/stop, or end pid ${pid}), or choose another name`,
      details: { name: from, to, pid },
    });
  }
}

/** Works out the moves of a rename from what logs/ and run/ hold now. */
async function planRename(app: AgentTrayApp, from: string, to: string): Promise<RenamePlan> {
  const paths: DataPaths = app.engine.paths;
  const platform = app.platform;
  const logNames = await readdir(paths.logs).catch(() => [] as string[]);
  const own = logNames.filter((f) => logFilePattern(from).test(f));
  const leftover = logNames.filter((f) => logFilePattern(to).test(f));
  const leftoverState = stateFile(paths, to);
  const leftoverPid = pidFile(paths, to, platform);
  const leftoverFiles = [...(await exists(leftoverState) ? [leftoverState] : []), ...(await exists(leftoverPid) ? [leftoverPid] : [])];
  const leftoverRuns = app.history.list({ agent: to, limit: 1 }).length > 0;

  const plan: RenamePlan = { aside: [], moves: [], discard: [], history: new Map(), asideName: null };
  if (leftover.length > 0 || leftoverFiles.length > 0 || leftoverRuns) {
    const runNames = await readdir(paths.run).catch(() => [] as string[]);
    const aside = asideName(to, new Date(), (c) => app.store.has(c) || logNames.some((f) => logFilePattern(c).test(f)) || runNames.some((f) => f.startsWith(`${c}.`)) || app.history.list({ agent: c, limit: 1 }).length > 0);
    plan.asideName = aside;
    for (const f of leftover) plan.aside.push({ from: path.join(paths.logs, f), to: path.join(paths.logs, aside + f.slice(to.length)) });
    // the earlier agent's state and PID files would make the next host carry on its crash (or adopt its pid) as this agent's
    for (const file of leftoverFiles) {
      const moved = path.join(paths.run, aside + path.basename(file).slice(to.length));
      plan.aside.push({ from: file, to: moved });
      plan.discard.push(moved);
    }
    if (leftoverRuns) plan.history.set(to, aside);
  }
  for (const f of own) plan.moves.push({ from: path.join(paths.logs, f), to: path.join(paths.logs, to + f.slice(from.length)) });
  const ownState = stateFile(paths, from);
  if (await exists(ownState)) plan.moves.push({ from: ownState, to: stateFile(paths, to) });
  // a PID file of an agent that does not run: stale (removed), or naming a live process outside supervision (left where it is, for GET /api/orphans)
  const ownPid = pidFile(paths, from, platform);
  if ((await exists(ownPid)) && (await livePidOf(ownPid, platform)) === null) plan.discard.push(ownPid);
  plan.history.set(from, to);
  return plan;
}

/** Renames files one by one and can put them back. */
class MoveJournal {
  private readonly done: Move[] = [];

  /** Renames `m.from` to `m.to`, refusing to replace another file that is there. */
  async move(m: Move): Promise<void> {
    if (await exists(m.to)) {
      const [a, b] = await Promise.all([lstat(m.from), lstat(m.to)]);
      // the same file under a name differing in case (a case-insensitive file system) is fine
      if (a.ino !== b.ino || a.dev !== b.dev) throw new AgentTrayError('conflict', `${m.to} appeared while the agent was being renamed`, { hint: 'Try again', details: { file: m.to } });
    }
    try {
      await rename(m.from, m.to);
    } catch (err) {
      const e = fileError(err, m.from, 'move');
      e.details.to = m.to;
      throw e;
    }
    this.done.push(m);
  }

  /** Puts back what was moved, newest first; returns the moves that could not be undone. */
  async undo(): Promise<string[]> {
    const failed: string[] = [];
    for (const m of this.done.splice(0).reverse()) {
      await rename(m.to, m.from).catch((err: unknown) => failed.push(`${m.to} → ${m.from} (${(err as Error).message})`));
    }
    return failed;
  }
}

/** The codes of fileError: a file that could not be written or moved. */
const IO_CODES = new Set<string>(['disk-full', 'not-writable', 'permission-denied', 'io-failed']);

/** The error of a failed rename: what failed, that nothing changed (or what could not be put back). */
function renameFailed(err: unknown, from: string, to: string, notUndone: string[]): unknown {
  if (!(err instanceof AgentTrayError) || (!IO_CODES.has(err.code) && notUndone.length === 0)) return err;
  const base = err.hint && err.message.endsWith(`. ${err.hint}`) ? err.message.slice(0, -(err.hint.length + 2)) : err.message;
  const after = notUndone.length ? `; these could not be put back, move them by hand: ${notUndone.join('; ')}` : '; nothing was changed (its files were put back, agents.json is as it was)';
  return new AgentTrayError(err.code, `Agent "${from}" was not renamed to "${to}": ${base}${after}`, {
    ...(err.hint ? { hint: err.hint } : {}),
    details: { ...err.details, name: from, to, ...(notUndone.length ? { notUndone } : {}) },
    cause: err,
  });
}

/**
 * Renames agent `from`, which must not run, to `def.name` and saves `def`: set aside the new
 * name's leftovers, move the agent's files, rename its runs in the history, save agents.json; then
 * remove stale files and give the engine's and the supervisor's memory the new name. A failure
 * before the save undoes every step (see renameFailed). Resolves with the aside name, if any.
 */
export async function renameStoppedAgent(app: AgentTrayApp, from: string, def: AgentDefinition): Promise<{ asideName: string | null }> {
  const to = def.name;
  await app.recorder.flush(); // the run that just ended is in the history before its runs are renamed
  return app.engine.exclusive(from, async () => {
    const state = app.engine.status(from).state;
    if (isActive(state) || state === 'waiting' || state === 'backoff') {
      throw new AgentTrayError('conflict', `Agent "${from}" is ${state} and cannot be renamed to "${to}"`, { hint: 'Stop it first, or save with restart=true (Stop, rename, start)', details: { name: from } });
    }
    const plan = await planRename(app, from, to);
    const journal = new MoveJournal();
    let historyRenamed = false;
    try {
      for (const m of [...plan.aside, ...plan.moves]) await journal.move(m);
      await app.history.renameAgents(plan.history);
      historyRenamed = true;
      await app.store.update(from, def);
    } catch (err) {
      const notUndone = await journal.undo();
      if (historyRenamed) {
        const back = new Map([...plan.history].map(([a, b]) => [b, a]));
        await app.history.renameAgents(back).catch((e: unknown) => notUndone.push(`the runs in ${app.history.file} (${(e as Error).message})`));
      }
      throw renameFailed(err, from, to, notUndone);
    }
    await Promise.all(plan.discard.map((f) => rm(f, { force: true }).catch(() => undefined)));
    await app.engine.secrets?.renameAgent(from, to).catch(() => undefined); // (kept under the old name, its next start names the missing secret)
    app.engine.renameRuntime(from, def);
    app.supervisor.rename(from, to);
    app.engine.setDefinitions(app.store.list());
    return { asideName: plan.asideName };
  });
}
