// A simulated Windows for tests on Linux: a process table (pids, parents, creation times,
// environments) and a HelperTransport that answers the helper's verbs with the JSON lines of the
// protocol (native/win-helper/, the README's Windows section). Every line it prints is CONSTRUCTED
// from that protocol, not recorded on Windows: real behaviour is checked by the Wine lane
// (test/windows/) and the windows-latest CI job.
import type { HelperRun, HelperStream, HelperTransport, WinHelper } from '../../electron/core/platform/win-helper.js';
import { createWinHelper } from '../../electron/core/platform/win-helper.js';

/** One simulated process. */
export interface SimProcess {
  pid: number;
  ppid: number;
  createdMs: number;
  exe: string;
  commandLine: string | null;
  env: Record<string, string> | null;
  alive: boolean;
  /** What it does on CTRL_BREAK: exits, or ignores it. */
  onBreak: 'exit' | 'ignore';
  /** TerminateProcess is refused (Access is denied), like a process of another user or elevated. */
  unkillable: boolean;
  exitCode: number | null;
  /** Its exit code stays readable after it exited (some process holds a handle). */
  keepsExitCode: boolean;
}

/** A line of JSON as the helper prints it. */
const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

export class SimWindows {
  readonly processes = new Map<number, SimProcess>();
  /** Every call: its argv (verb first) and stdin. */
  readonly calls: { args: string[]; input: string | undefined }[] = [];
  /** What spawn's reply says about breakaway (Agent Tray started from a terminal whose job forbids it: false). */
  breakawayAllowed = true;
  /** Wine 8: AttachConsole fails, CTRL_BREAK cannot be sent. */
  ctrlBreakWorks = true;
  /** Replace every answer with this text (garbage, a helper of another version). */
  garbage: string | null = null;
  /** Only the resident watch prints the garbage; the one-shot verbs answer well. */
  garbageOnlyInWatch = false;
  /** This verb reports a failure (its step named after the verb) instead of answering. */
  failingVerb: string | null = null;
  /** CreateProcessW fails with this Windows error (2: the file was not found). */
  spawnError: { code: number; message: string } | null = null;
  /** The watch interval used by the simulation (the real one is the sampler's). */
  watchEveryMs = 20;
  /** CPU ms each live process gains per watch tick. */
  cpuPerTickMs = 0;
  /** Resident `watch` helpers running now. */
  openWatches = 0;
  /** The helper knows `wait` and `env --all` (false: an older helper, which answers them with exit 2). */
  knowsNewVerbs = true;
  /** A process the helper spawns has exited already, with this code, before anyone can wait for it (null: it runs). */
  spawnedExitsAt: number | null = null;
  /** Resident `wait` helpers running now, and the pids each waits for. */
  readonly waits = new Set<{ waited: Map<number, number>; emit: (value: unknown) => void; end: (code: number) => void }>();
  private nextPid = 1000;
  private clock = 1_765_000_000_000;
  private readonly cpu = new Map<number, number>();

  /** The helper over this simulation (the real parsing code, a simulated executable). */
  readonly helper: WinHelper = createWinHelper('C:\\sim\\agent-tray-helper.exe', this.transport());

  /** Adds a live process; creation times grow by 1000 ms per process unless given. */
  add(p: Partial<SimProcess> & { ppid?: number }): SimProcess {
    const proc: SimProcess = {
      pid: p.pid ?? this.nextPid++,
      ppid: p.ppid ?? 4,
      createdMs: p.createdMs ?? (this.clock += 1000),
      exe: p.exe ?? 'node.exe',
      commandLine: p.commandLine === undefined ? 'node.exe' : p.commandLine,
      env: p.env === undefined ? {} : p.env,
      alive: p.alive ?? true,
      onBreak: p.onBreak ?? 'exit',
      unkillable: p.unkillable ?? false,
      exitCode: p.exitCode ?? null,
      keepsExitCode: p.keepsExitCode ?? false,
    };
    this.processes.set(proc.pid, proc);
    return proc;
  }

  /** Ends a process as if it exited on its own; the `wait` helpers that hold it report its code. */
  exit(pid: number, code = 0): void {
    const p = this.processes.get(pid);
    if (!p) return;
    Object.assign(p, { alive: false, exitCode: code });
    for (const w of this.waits) {
      const createdMs = w.waited.get(pid);
      if (createdMs === undefined) continue;
      w.waited.delete(pid);
      w.emit({ pid, createdMs, exitCode: code });
    }
  }

  /** Every resident `wait` helper dies (exit 1), as a crashed or killed helper would. */
  killWaits(): void {
    for (const w of [...this.waits]) w.end(1);
  }

  /** The calls of one verb. */
  callsOf(verb: string): string[][] {
    return this.calls.filter((c) => c.args[0] === verb).map((c) => c.args);
  }

  /** The tree as the protocol defines it for kill-tree: children created no earlier than their parent. */
  private tree(pid: number, createdMs: number): SimProcess[] {
    const root = this.processes.get(pid);
    if (!root?.alive || (createdMs !== 0 && Math.abs(root.createdMs - createdMs) > 1)) return [];
    const out = [root];
    for (let i = 0; i < out.length; i++) {
      const parent = out[i]!;
      for (const p of this.processes.values()) {
        if (p.alive && p.ppid === parent.pid && p.createdMs >= parent.createdMs && !out.includes(p)) out.push(p);
      }
    }
    return out;
  }

  private transport(): HelperTransport {
    return {
      run: (args, input) => Promise.resolve(this.answer([...args], input)),
      start: (args) => (args[0] === 'wait' ? this.waitStream([...args]) : this.watchStream([...args])),
    };
  }

  private answer(args: string[], input: string | undefined): HelperRun {
    this.calls.push({ args, input });
    if (this.garbage !== null && !this.garbageOnlyInWatch) return { stdout: this.garbage, stderr: '', exitCode: 0 };
    const ok = (stdout: string): HelperRun => ({ stdout, stderr: '', exitCode: 0 });
    const fail = (step: string, code: number, message: string): HelperRun => ({ stdout: line({ ok: false, step, code, message }), stderr: '', exitCode: 1 });
    const [verb, ...rest] = args;
    if (verb === this.failingVerb) return fail('CreateToolhelp32Snapshot', 8, 'Not enough memory resources are available to process this command.');
    const pids = rest.filter((a) => /^\d+$/.test(a)).map(Number);
    switch (verb) {
      case 'spawn': {
        if (this.spawnError) return fail('CreateProcessW', this.spawnError.code, this.spawnError.message);
        const request = JSON.parse(input ?? '{}') as { commandLine: string; env: Record<string, string> };
        const p = this.add({ ppid: process.pid, commandLine: request.commandLine, env: request.env });
        if (this.spawnedExitsAt !== null) Object.assign(p, { alive: false, exitCode: this.spawnedExitsAt });
        const flags = ['CREATE_NO_WINDOW', 'CREATE_NEW_PROCESS_GROUP', 'CREATE_UNICODE_ENVIRONMENT', ...(this.breakawayAllowed ? ['CREATE_BREAKAWAY_FROM_JOB'] : [])];
        const note = this.breakawayAllowed ? null : 'Agent Tray runs inside a job that forbids breakaway (started from a terminal or IDE?): this agent ends when Agent Tray ends';
        const creationTime = String(BigInt(p.createdMs) * 10_000n + 116_444_736_000_000_000n);
        return ok(line({ ok: true, pid: p.pid, createdMs: p.createdMs, creationTime, flags, inJob: true, breakaway: this.breakawayAllowed, note }));
      }
      case 'stop': {
        const p = this.processes.get(pids[0]!);
        if (!this.ctrlBreakWorks || !p?.alive) return fail('AttachConsole', 6, 'The handle is invalid.');
        for (const member of this.tree(p.pid, 0)) if (member.onBreak === 'exit') this.exit(member.pid, 0xc000013a);
        return ok(line({ ok: true }));
      }
      case 'kill-tree': {
        const [pid, createdMs] = pids as [number, number];
        const killed: number[] = [];
        const failed: { pid: number; code: number; message: string }[] = [];
        for (const p of this.tree(pid, createdMs).reverse()) {
          if (p.unkillable) failed.push({ pid: p.pid, code: 5, message: 'Access is denied.' });
          else {
            this.exit(p.pid, 1);
            killed.push(p.pid);
          }
        }
        return ok(line({ ok: true, killed, failed, gone: [] }));
      }
      case 'info':
        return ok(
          pids
            .map((pid) => {
              const p = this.processes.get(pid);
              if (!p?.alive) return line({ pid, alive: false, ...(p?.keepsExitCode ? { exitCode: p.exitCode } : {}) });
              const creationTime = String(BigInt(p.createdMs) * 10_000n + 116_444_736_000_000_000n);
              return line({ pid, alive: true, ppid: p.ppid, createdMs: p.createdMs, creationTime, exe: `C:\\bin\\${p.exe}`, commandLine: p.commandLine, exitCode: null });
            })
            .join(''),
        );
      case 'list': {
        const withLines = rest.includes('--command-lines');
        const live = [...this.processes.values()].filter((p) => p.alive);
        return ok(live.map((p) => line({ pid: p.pid, ppid: p.ppid, createdMs: p.createdMs, exe: p.exe, ...(withLines ? { commandLine: p.commandLine } : {}) })).join(''));
      }
      case 'env': {
        if (rest[0] === '--all') {
          if (!this.knowsNewVerbs) return { stdout: line({ ok: false, step: 'usage', code: 87, message: 'usage: env <pid> NAME [NAME ...]' }), stderr: '', exitCode: 2 };
          const names = rest.slice(1);
          const marked = [...this.processes.values()].filter((p) => p.alive && p.env && p.env[names[0]!] !== undefined);
          return ok(marked.map((p) => line({ pid: p.pid, ppid: p.ppid, createdMs: p.createdMs, exe: p.exe, commandLine: p.commandLine, env: Object.fromEntries(names.map((n) => [n, p.env![n] ?? null])) })).join(''));
        }
        const [pid] = pids as [number];
        const names = rest.slice(1);
        const p = this.processes.get(pid);
        if (!p?.alive) return fail('OpenProcess', 87, 'The parameter is incorrect.');
        if (!p.env) return ok(line({ pid, env: null, message: 'Access is denied.' }));
        const env = p.env;
        return ok(line({ pid, env: Object.fromEntries(names.map((n) => [n, env[n] ?? null])) }));
      }
      default:
        return { stdout: '', stderr: `unknown verb ${verb}`, exitCode: 2 };
    }
  }

  /** `wait`: answers each `add <pid> <createdMs>` with the exit code when that process exits, or `gone` at once. */
  private waitStream(args: string[]): HelperStream {
    this.calls.push({ args, input: undefined });
    const listeners: ((text: string) => void)[] = [];
    let resolveExit: (code: number | null) => void = () => undefined;
    const exit = new Promise<number | null>((resolve) => (resolveExit = resolve));
    const w = {
      waited: new Map<number, number>(),
      emit: (value: unknown) => setImmediate(() => listeners.forEach((l) => l(JSON.stringify(value)))),
      end: (code: number) => {
        this.waits.delete(w);
        setImmediate(() => resolveExit(code));
      },
    };
    if (this.knowsNewVerbs) this.waits.add(w);
    else w.end(2);
    return {
      write: (text) => {
        const [cmd, pidText, createdText] = text.trim().split(/\s+/);
        const pid = Number(pidText);
        const createdMs = Number(createdText);
        if (cmd !== 'add' || !this.waits.has(w)) return;
        const p = this.processes.get(pid);
        if (p?.alive && Math.abs(p.createdMs - createdMs) <= 1) w.waited.set(pid, createdMs);
        else w.emit({ pid, createdMs, gone: true, code: 87, message: 'The parameter is incorrect.' });
      },
      onLine: (listener) => void listeners.push(listener),
      exit,
      close: () => w.end(0),
    };
  }

  /** `watch`: samples the pids of the last `set` every watchEveryMs, until closed. */
  private watchStream(args: string[]): HelperStream {
    this.calls.push({ args, input: undefined });
    this.openWatches++;
    const listeners: ((text: string) => void)[] = [];
    let watched: number[] = [];
    let resolveExit: (code: number | null) => void = () => undefined;
    const exit = new Promise<number | null>((resolve) => (resolveExit = resolve));
    const timer = setInterval(() => {
      if (this.garbage !== null) {
        for (const l of listeners) l(this.garbage);
        return;
      }
      const samples = watched
        .map((pid) => this.processes.get(pid))
        .filter((p): p is SimProcess => !!p?.alive)
        .map((p) => {
          const cpuMs = (this.cpu.get(p.pid) ?? 0) + this.cpuPerTickMs;
          this.cpu.set(p.pid, cpuMs);
          return { pid: p.pid, cpuMs, workingSetBytes: 10 * 1024 * 1024, handles: 100, threads: 5 };
        });
      const tick = JSON.stringify({ at: Date.now(), samples });
      for (const l of listeners) l(tick);
    }, this.watchEveryMs);
    return {
      write: (text) => {
        const [cmd, ...rest] = text.trim().split(/\s+/);
        if (cmd === 'set') watched = rest.map(Number);
      },
      onLine: (listener) => void listeners.push(listener),
      exit,
      close: () => {
        clearInterval(timer);
        this.openWatches--;
        resolveExit(0);
      },
    };
  }
}
