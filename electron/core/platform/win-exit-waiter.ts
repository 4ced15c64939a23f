// The exit codes of agents the Windows helper started: they are no children of Agent Tray, so no
// child handle tells how they ended. One resident `wait` helper per engine holds each of them open
// from right after its start and reports its exit code. Started at the first question, never keeps
// the host alive (the transport unrefs it), started again when it dies (the questions still open are
// asked again), closed with the engine. Where it cannot answer, the caller polls `info` as before.
import { isUnknownCommand, type WaitLine, type WinHelper, type WinWait } from './win-helper.js';

/** How a process ended: its exit code; `gone` (it could not be held: ended before it was asked about, a recycled pid, not ours); `unusable` (no waiter: poll instead). */
export type WaitOutcome = { exitCode: number } | { gone: true } | { unusable: true };

export interface ExitWaiterOptions {
  /** Restarts allowed within windowMs before the waiter is given up for good (a helper that dies at once). */
  maxRestarts?: number;
  windowMs?: number;
  now?: () => number;
}

interface Question {
  pid: number;
  createdMs: number;
  answer: ((outcome: WaitOutcome) => void)[];
}

export class WinExitWaiter {
  private wait: WinWait | null = null;
  private readonly open = new Map<string, Question>();
  private deaths: number[] = [];
  private givenUp = false;
  private closed = false;

  constructor(
    readonly helper: WinHelper,
    private readonly opts: ExitWaiterOptions = {},
  ) {}

  /** How `pid` (created at createdMs) ends; never settles once the waiter is closed. */
  exitOf(pid: number, createdMs: number): Promise<WaitOutcome> {
    if (this.givenUp || this.closed) return Promise.resolve({ unusable: true });
    const key = `${pid}:${createdMs}`;
    return new Promise((resolve) => {
      const asked = this.open.get(key);
      if (asked) return void asked.answer.push(resolve);
      this.open.set(key, { pid, createdMs, answer: [resolve] });
      const wait = this.started();
      if (wait) wait.add(pid, createdMs);
      else this.giveUp();
    });
  }

  /** Ends the resident helper; the questions still open are dropped (the processes keep running). */
  close(): void {
    this.closed = true;
    this.open.clear();
    this.wait?.close();
    this.wait = null;
  }

  /** True while a resident helper runs (for tests and diagnostics). */
  get running(): boolean {
    return this.wait !== null;
  }

  /** The resident helper, started when there is none; null when it cannot even be started. */
  private started(): WinWait | null {
    if (this.wait) return this.wait;
    let wait: WinWait;
    try {
      wait = this.helper.wait();
    } catch {
      return null;
    }
    this.wait = wait;
    wait.onAnswer((line) => this.answered(line));
    void wait.ended.then((err) => this.ended(wait, err));
    return wait;
  }

  /** One answer: settles the question it belongs to. */
  private answered(line: WaitLine): void {
    const key = `${line.pid}:${line.createdMs}`;
    const asked = this.open.get(key);
    if (!asked) return;
    this.open.delete(key);
    const outcome: WaitOutcome = 'exitCode' in line ? { exitCode: line.exitCode } : { gone: true };
    for (const answer of asked.answer) answer(outcome);
  }

  /** The resident helper ended: by close(), or it died (start another and ask again, within the restart budget). */
  private ended(wait: WinWait, err: Error | null): void {
    if (this.wait !== wait) return;
    this.wait = null;
    if (this.closed || err === null) return;
    const now = (this.opts.now ?? Date.now)();
    this.deaths = [...this.deaths.filter((at) => now - at < (this.opts.windowMs ?? 60_000)), now];
    // a helper of another version (no `wait`), or one that keeps dying: poll instead from now on
    if (isUnknownCommand(err) || this.deaths.length > (this.opts.maxRestarts ?? 5)) return this.giveUp();
    if (this.open.size === 0) return; // started again at the next question
    const next = this.started();
    if (!next) return this.giveUp();
    for (const q of this.open.values()) next.add(q.pid, q.createdMs);
  }

  /** No waiter from now on: every open question is answered `unusable`. */
  private giveUp(): void {
    this.givenUp = true;
    const open = [...this.open.values()];
    this.open.clear();
    for (const q of open) for (const answer of q.answer) answer({ unusable: true });
  }
}
