// Pure parsers of Linux /proc text: /proc/<pid>/stat and the btime line of /proc/stat.

export interface ProcStat {
  pid: number;
  comm: string;
  /** One letter: R, S, D, Z (zombie), T, t, X, I, ... */
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** Field 22: start time in clock ticks since boot. */
  startTicks: number;
}

/** Index of field 22 (starttime) among the fields that follow the comm's closing parenthesis (field 3 is index 0). */
const START_TICKS_INDEX = 22 - 3;

/** An integer parsed from a decimal field, or an Error naming the field. */
function intField(value: string | undefined, name: string, text: string): number {
  if (value === undefined || !/^-?\d+$/.test(value)) {
    throw new Error(`malformed /proc/<pid>/stat: field ${name} is ${value === undefined ? 'missing' : `"${value}"`} in ${JSON.stringify(text.slice(0, 200))}`);
  }
  return Number(value);
}

/** Parses the content of /proc/<pid>/stat; the comm may hold spaces and ')', so it ends at the last ')'. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) {
    throw new Error(`malformed /proc/<pid>/stat: no "(comm)" in ${JSON.stringify(text.slice(0, 200))}`);
  }
  const pid = intField(text.slice(0, open).trim(), 'pid', text);
  const comm = text.slice(open + 1, close);
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const state = rest[0];
  if (state === undefined || !/^[A-Za-z]$/.test(state)) {
    throw new Error(`malformed /proc/<pid>/stat: state is ${state === undefined ? 'missing' : `"${state}"`} in ${JSON.stringify(text.slice(0, 200))}`);
  }
  return {
    pid,
    comm,
    state,
    ppid: intField(rest[1], 'ppid', text),
    pgid: intField(rest[2], 'pgrp', text),
    sid: intField(rest[3], 'session', text),
    startTicks: intField(rest[START_TICKS_INDEX], 'starttime', text),
  };
}

/** The boot time in seconds since the epoch, from the btime line of /proc/stat. */
export function parseBootTime(procStatText: string): number {
  const match = /^btime\s+(\d+)\s*$/m.exec(procStatText);
  if (!match?.[1]) throw new Error('malformed /proc/stat: no "btime <seconds>" line');
  return Number(match[1]);
}

/** A process's start time in epoch milliseconds (an integer) from its start ticks and the boot time. */
export function startTimeMs(startTicks: number, bootTimeSec: number, clockTicksPerSec = 100): number {
  if (!(clockTicksPerSec > 0)) throw new Error(`clock ticks per second must be positive, got ${clockTicksPerSec}`);
  return bootTimeSec * 1000 + Math.round((startTicks * 1000) / clockTicksPerSec);
}
