// The soak's invariants, pure: what the host says about each agent against the processes that
// carry its markers, and the saves the API acknowledged against what agents.json holds.

/**
 * One agent's problem in one snapshot, or null when the host's word and the processes agree:
 * `running` has exactly one main process (the pid the host names, when it names one);
 * `starting` and `stopping` have at most one; every other state (stopped, backoff, crashed,
 * errored) has none. More than one main process is a `duplicate` in any state.
 * @param {{ name: string, state: string, pid?: number | null }} status
 * @param {number[]} mains the agent's main processes
 * @returns {{ name: string, kind: string, state: string, pids: number[], hostPid: number | null } | null}
 */
export function judgeAgent(status, mains) {
  const hostPid = typeof status.pid === 'number' ? status.pid : null;
  const problem = (kind) => ({ name: status.name, kind, state: status.state, pids: mains, hostPid });
  if (mains.length > 1) return problem('duplicate');
  switch (status.state) {
    case 'running':
      if (mains.length === 0) return problem('running-without-process');
      if (hostPid !== null && mains[0] !== hostPid) return problem('pid-mismatch');
      return null;
    case 'starting':
    case 'stopping':
      return null;
    default:
      return mains.length ? problem(`process-while-${status.state}`) : null;
  }
}

/**
 * Every problem of one snapshot: one per agent at most, plus a `stray` for each name that has
 * marked processes but is not an agent of the host.
 * @param {{ name: string, state: string, pid?: number | null }[]} statuses
 * @param {Map<string, number[]>} mains name -> main pids
 */
export function judgeSnapshot(statuses, mains) {
  const problems = [];
  const known = new Set();
  for (const s of statuses) {
    known.add(s.name);
    const p = judgeAgent(s, mains.get(s.name) ?? []);
    if (p) problems.push(p);
  }
  for (const [name, pids] of mains) if (!known.has(name) && pids.length) problems.push({ name, kind: 'stray', state: 'not configured', pids, hostPid: null });
  return problems;
}

/**
 * Problems over several snapshots. A duplicate counts as soon as one snapshot shows it (two copies
 * of an agent at the same moment is never a passing state). Any other problem must last: a name
 * keeps the problem of its latest snapshot until a snapshot shows it without one, and is then
 * settled for good; what is open when the settling time is over are the violations. So a momentary
 * gap (an adopted agent that exited a moment before the host's poll saw it) clears itself.
 */
export function createSettler() {
  const settled = new Set();
  /** name -> its latest problem */
  const open = new Map();
  /** name -> its first duplicate problem */
  const duplicates = new Map();
  return {
    /** @param {ReturnType<typeof judgeSnapshot>} problems @param {string[]} names every agent name of this snapshot */
    feed(problems, names) {
      const byName = new Map();
      for (const p of problems) {
        if (p.kind === 'duplicate') {
          if (!duplicates.has(p.name)) duplicates.set(p.name, p);
        } else byName.set(p.name, p);
      }
      for (const name of new Set([...names, ...byName.keys(), ...open.keys()])) {
        if (settled.has(name) || duplicates.has(name)) continue;
        const p = byName.get(name);
        if (p) open.set(name, p);
        else {
          open.delete(name);
          settled.add(name);
        }
      }
      for (const name of duplicates.keys()) open.delete(name);
    },
    /** True when no name has an open problem. */
    get clear() {
      return open.size === 0;
    },
    /** The duplicates seen, then the problems still open. */
    violations: () => [...duplicates.values(), ...open.values()],
  };
}

/** The fingerprint of a definition in agents.json for the save check: absent, or its SOAK_REV. @param {{ env?: Record<string, string> } | undefined} def */
export function fingerprint(def) {
  return def ? `rev:${def.env?.SOAK_REV ?? '0'}` : 'absent';
}

/**
 * What agents.json may hold for each agent: at first what the file held, then after an
 * acknowledged save (2xx) that save's outcome only; a save that got no answer (the host was
 * killed) or was refused adds its outcome to what is allowed, since either may be on disk.
 * @param {{ name: string, env?: Record<string, string> }[]} initial the agents of agents.json at the start
 */
export function createLedger(initial = []) {
  /** name -> set of allowed fingerprints; a name not here is absent */
  const allowed = new Map(initial.map((d) => [d.name, new Set([fingerprint(d)])]));
  return {
    /** A save is sent: its outcome becomes possible. @param {string} name @param {string} fp */
    begin(name, fp) {
      const set = allowed.get(name) ?? new Set(['absent']);
      set.add(fp);
      allowed.set(name, set);
    },
    /** The host acknowledged the save: only its outcome is allowed now. @param {string} name @param {string} fp */
    ack(name, fp) {
      allowed.set(name, new Set([fp]));
    },
    /**
     * The saves that were lost: every name whose fingerprint in `defs` is not allowed. Afterwards
     * the ledger takes the file as the truth, so one loss is counted once.
     * @param {{ name: string, env?: Record<string, string> }[]} defs the agents of agents.json
     * @returns {{ name: string, expected: string[], found: string }[]}
     */
    check(defs) {
      const byName = new Map(defs.map((d) => [d.name, d]));
      const lost = [];
      for (const name of new Set([...allowed.keys(), ...byName.keys()])) {
        const set = allowed.get(name) ?? new Set(['absent']);
        const found = fingerprint(byName.get(name));
        if (!set.has(found)) lost.push({ name, expected: [...set], found });
        if (found === 'absent') allowed.delete(name);
        else allowed.set(name, new Set([found]));
      }
      return lost;
    },
  };
}

/**
 * Parses a data file for the check: ok with the value, or the parse error. Never throws.
 * @param {string | null} text null when the file does not exist
 * @returns {{ present: boolean, ok: boolean, value?: unknown, error?: string }}
 */
export function parseDataFile(text) {
  if (text === null) return { present: false, ok: true };
  try {
    return { present: true, ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { present: true, ok: false, error: `${err.message}${text.length === 0 ? ' (the file is empty)' : ''}` };
  }
}
