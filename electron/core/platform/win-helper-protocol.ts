// The replies of the Windows helper (agent-tray-helper.exe), as zod schemas, and how its output
// becomes values or errors: one JSON object per line on stdout, `{"ok":false,step,code,message}`
// on failure (exit 1), exit 2 for a command line it does not understand. The protocol is
// described in native/win-helper/ and the README's Windows section.
import { z } from 'zod';
import { AgentTrayError } from '../errors.js';

const Pid = z.number().int().positive();
/** Pids of a whole-system listing: 0 is the idle process there. */
const AnyPid = z.number().int().nonnegative();
/** Epoch ms; null where the system would not tell (a protected process). */
const CreatedMs = z.number().int().nullable();
/** Windows error codes are DWORDs; HRESULTs print as negative or large numbers. */
const WinCode = z.number().int();

export const FailureSchema = z.object({ ok: z.literal(false), step: z.string(), code: WinCode, message: z.string() });
export type HelperFailure = z.infer<typeof FailureSchema>;

export const OkSchema = z.object({ ok: z.literal(true) });

export const SpawnReplySchema = z.object({
  ok: z.literal(true),
  pid: Pid,
  createdMs: z.number().int(),
  /** The raw FILETIME (100 ns since 1601) as a decimal string: exact. */
  creationTime: z.string().regex(/^\d+$/),
  flags: z.array(z.string()),
  inJob: z.boolean(),
  breakaway: z.boolean(),
  /** Set when breakaway was not possible: the agent then ends when Agent Tray ends. */
  note: z.string().nullable(),
});
export type SpawnReply = z.infer<typeof SpawnReplySchema>;

export const KillTreeReplySchema = z.object({
  ok: z.literal(true),
  killed: z.array(Pid),
  failed: z.array(z.object({ pid: Pid, code: WinCode, message: z.string() })),
  gone: z.array(Pid),
});
export type KillTreeReply = z.infer<typeof KillTreeReplySchema>;

export const LiveInfoSchema = z.object({
  pid: Pid,
  alive: z.literal(true),
  ppid: AnyPid,
  createdMs: CreatedMs,
  creationTime: z.string().nullable().optional(),
  exe: z.string().nullable(),
  commandLine: z.string().nullable(),
  exitCode: z.number().int().nullable().optional(),
});
export const GoneInfoSchema = z.object({
  pid: Pid,
  alive: z.literal(false),
  /** Only known while some process still holds a handle to the exited one. */
  exitCode: z.number().int().nullable().optional(),
});
export const InfoLineSchema = z.union([LiveInfoSchema, GoneInfoSchema]);
export type InfoLine = z.infer<typeof InfoLineSchema>;
export type LiveInfo = z.infer<typeof LiveInfoSchema>;

export const ListLineSchema = z.object({
  pid: AnyPid,
  ppid: AnyPid,
  createdMs: CreatedMs,
  /** The image name (name.exe). */
  exe: z.string().nullable(),
  /** With --command-lines; null when unreadable (another user's or a protected process). */
  commandLine: z.string().nullable().optional(),
});
export type ListLine = z.infer<typeof ListLineSchema>;

export const EnvLineSchema = z.object({
  pid: Pid,
  /** null: the environment could not be read (`message` says why). */
  env: z.record(z.string(), z.string().nullable()).nullable(),
  message: z.string().optional(),
});
export type EnvLine = z.infer<typeof EnvLineSchema>;

/** `env --all`: a process whose environment sets the first name asked (the others: value or null). */
export const EnvAllLineSchema = z.object({
  pid: Pid,
  ppid: AnyPid,
  createdMs: CreatedMs,
  creationTime: z.string().nullable().optional(),
  exe: z.string().nullable().optional(),
  /** null when unreadable. */
  commandLine: z.string().nullable().optional(),
  env: z.record(z.string(), z.string().nullable()),
});
export type EnvAllLine = z.infer<typeof EnvAllLineSchema>;

/** `wait`: the one answer to `add <pid> <createdMs>` (createdMs echoed as given). */
export const WaitLineSchema = z.union([
  /** It exited: its exit code (a DWORD: 0xC000013A after CTRL_BREAK prints as 3221225786). */
  z.object({ pid: Pid, createdMs: z.number().int(), exitCode: z.number().int().nonnegative() }),
  /** It cannot be waited for: no such process (it ended before the add), another process with that pid, or not ours to open. */
  z.object({ pid: Pid, createdMs: z.number().int(), gone: z.literal(true), code: WinCode.optional(), message: z.string().optional() }),
]);
export type WaitLine = z.infer<typeof WaitLineSchema>;

export const WatchSampleSchema = z.object({
  pid: Pid,
  /** User + kernel CPU time so far, ms. */
  cpuMs: z.number().nonnegative(),
  workingSetBytes: z.number().nonnegative(),
  handles: z.number().int().nonnegative(),
  threads: z.number().int().nonnegative(),
});
export const WatchTickSchema = z.object({ at: z.number(), samples: z.array(WatchSampleSchema) });
export type WatchTick = z.infer<typeof WatchTickSchema>;
export type WatchSample = z.infer<typeof WatchSampleSchema>;

/** What one run of the helper gave back. */
export interface HelperRun {
  stdout: string;
  stderr: string;
  /** The exit code; null when it ended otherwise (killed). */
  exitCode: number | null;
}

const REINSTALL_HINT = 'Reinstall Agent Tray (or run `npm run build`), or point AGENT_TRAY_WIN_HELPER at a working agent-tray-helper.exe';

/** An error that means the helper cannot be used at all (missing, another version, garbage): callers fall back to the old way. */
export function helperUnusable(exe: string, verb: string, why: string, cause?: unknown): AgentTrayError {
  return new AgentTrayError('helper-failed', `The Windows helper ${exe} could not do "${verb}": ${why}`, {
    hint: REINSTALL_HINT,
    details: { helper: exe, verb, unusable: true },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** helperUnusable for a helper that answered exit 2 (a usage error): it does not know this command (a helper of another version). */
export function unknownCommand(exe: string, verb: string, usage: string): AgentTrayError {
  const err = helperUnusable(exe, verb, `it does not understand this command (exit 2: a helper of another version?)${usage ? `: ${usage.slice(0, 200)}` : ''}`);
  err.details.exitCode = 2;
  return err;
}

/** True for an error of unknownCommand(): asking again will not help. */
export function isUnknownCommand(err: unknown): boolean {
  return isHelperUnusable(err) && (err as AgentTrayError).details.exitCode === 2;
}

/** An error for the helper's own `{"ok":false,…}` report: it ran, and Windows refused a step. */
export function helperFailure(exe: string, verb: string, failure: HelperFailure): AgentTrayError {
  return new AgentTrayError('helper-failed', `The Windows helper's "${verb}" failed at ${failure.step}: ${failure.message} (Windows error ${failure.code})`, {
    hint: 'The step and Windows error code say what Windows refused; see the README, "Windows"',
    details: { helper: exe, verb, step: failure.step, winCode: failure.code, winMessage: failure.message },
  });
}

/** A helper error in few words for a note (`AttachConsole: The handle is invalid. (Windows error 6)`), or the error's message. */
export function failureText(err: unknown): string {
  if (err instanceof AgentTrayError && typeof err.details.step === 'string') return `${err.details.step}: ${String(err.details.winMessage)} (Windows error ${String(err.details.winCode)})`;
  return err instanceof Error ? err.message : String(err);
}

/** True for an error of helperUnusable(): the caller should fall back to what works without the helper. */
export function isHelperUnusable(err: unknown): boolean {
  return err instanceof AgentTrayError && err.code === 'helper-failed' && err.details.unusable === true;
}

/** The helper's stdout as JSON objects, one per non-empty line; anything else is garbage (an unusable helper). */
export function parseHelperLines(exe: string, verb: string, stdout: string): unknown[] {
  const values: unknown[] = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      throw helperUnusable(exe, verb, `it printed something that is not a JSON line: ${JSON.stringify(line.slice(0, 200))}`);
    }
  }
  return values;
}

/**
 * The reply of one run as the lines of `schema`: its `{"ok":false}` line becomes helperFailure;
 * exit 2 (a usage error: a command line it does not know, another version of the helper), a line that is not
 * JSON or not of the schema, or a failure without a report become helperUnusable.
 */
export function repliesOf<S extends z.ZodType>(exe: string, verb: string, run: HelperRun, schema: S): z.infer<S>[] {
  const values = parseHelperLines(exe, verb, run.stdout);
  if (run.exitCode === 2) {
    // a usage error: this helper does not know the command line Agent Tray gave it
    const usage = values.map((v) => FailureSchema.safeParse(v)).find((f) => f.success)?.data?.message ?? run.stderr.trim();
    throw unknownCommand(exe, verb, usage);
  }
  for (const value of values) {
    const failure = FailureSchema.safeParse(value);
    if (failure.success) throw helperFailure(exe, verb, failure.data);
  }
  if (run.exitCode !== 0) throw helperUnusable(exe, verb, `it ended with ${run.exitCode === null ? 'no exit code (killed)' : `exit code ${run.exitCode}`} and no failure report${run.stderr.trim() ? `: ${run.stderr.trim().slice(0, 200)}` : ''}`);
  return values.map((value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
      throw helperUnusable(exe, verb, `it printed a line this version of Agent Tray does not understand (${issues}): ${JSON.stringify(JSON.stringify(value).slice(0, 200))}`);
    }
    return parsed.data;
  });
}

/** The single reply line of a verb that prints exactly one. */
export function oneReply<S extends z.ZodType>(exe: string, verb: string, run: HelperRun, schema: S): z.infer<S> {
  const lines = repliesOf(exe, verb, run, schema);
  if (lines.length !== 1) throw helperUnusable(exe, verb, `it printed ${lines.length} reply lines where one was expected`);
  return lines[0] as z.infer<S>;
}
