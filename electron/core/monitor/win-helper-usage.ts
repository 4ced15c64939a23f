// Windows: CPU, memory, threads and handles of whole process trees from ONE resident helper
// (`agent-tray-helper.exe watch`), instead of a PowerShell per tick. Each read takes the trees
// from one `list` (parents and creation times), tells the watch which pids to sample, and sums
// the newest samples it streamed. Where the helper cannot be used, pidusage takes over.
import { isHelperUnusable, type WatchTick, type WinHelper, type WinWatch } from '../platform/win-helper.js';
import { sameCreation, windowsTree, type WinProcessRow } from '../platform/win-process-tree.js';
import { pidusageReader } from './pidusage-usage.js';
import type { TreeUsage, UsageReader, UsageRoot } from './sampler.js';

/** The newest figures of one pid, from the last tick that sampled it. */
interface PidFigures {
  cpuPercent: number;
  workingSetBytes: number;
  handles: number;
  threads: number;
}

/** Reads trees from the helper's `list` and its resident `watch`. */
export class WinHelperUsageReader implements UsageReader {
  private watcher: WinWatch | null = null;
  private figures = new Map<number, PidFigures>();
  private lastCpu = new Map<number, { cpuMs: number; at: number }>();
  private failure: Error | null = null;
  private tickWaiters: (() => void)[] = [];

  constructor(
    private readonly helper: WinHelper,
    private intervalMs: number,
  ) {}

  /** The trees of `roots` (null where a root is gone or its pid now names another process). */
  async read(roots: readonly UsageRoot[]): Promise<(TreeUsage | null)[]> {
    if (this.failure) throw this.failure;
    if (roots.length === 0) return [];
    const table = await this.helper.list();
    const trees = roots.map((root) => treeOf(root, table));
    const pids = [...new Set(trees.flatMap((t) => t?.members.map((m) => m.pid) ?? []))];
    const watch = this.ensureWatch();
    watch.set(pids);
    // a tree whose pids were never sampled yet (just started, or the first read): wait for the tick that has them
    if (pids.length > 0 && !pids.some((pid) => this.figures.has(pid))) await this.nextTickWith(pids, this.intervalMs * 2 + 1_000);
    if (this.failure) throw this.failure;
    return trees.map((t) => (t ? this.sum(t.identity, t.members) : null));
  }

  /** A new interval: the watch restarts with it at the next read. */
  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
    this.close();
  }

  /** Ends the resident helper. */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** The running watch, started on first use; its death is remembered and reported at the next read. */
  private ensureWatch(): WinWatch {
    if (this.watcher) return this.watcher;
    const watch = this.helper.watch(this.intervalMs);
    watch.onTick((tick) => this.record(tick));
    void watch.ended.then((err) => {
      if (this.watcher === watch) this.watcher = null;
      if (err) this.failure = err;
      for (const wake of this.tickWaiters.splice(0)) wake();
    });
    this.watcher = watch;
    return watch;
  }

  /** Keeps each pid's figures from a tick; CPU % from its CPU time since the previous tick. */
  private record(tick: WatchTick): void {
    const figures = new Map<number, PidFigures>();
    const lastCpu = new Map<number, { cpuMs: number; at: number }>();
    for (const s of tick.samples) {
      const prev = this.lastCpu.get(s.pid);
      // a pid reused between two ticks can show less CPU time than before: no reading then
      const cpuPercent = prev && tick.at > prev.at ? Math.max(0, ((s.cpuMs - prev.cpuMs) / (tick.at - prev.at)) * 100) : 0;
      figures.set(s.pid, { cpuPercent, workingSetBytes: s.workingSetBytes, handles: s.handles, threads: s.threads });
      lastCpu.set(s.pid, { cpuMs: s.cpuMs, at: tick.at });
    }
    this.figures = figures;
    this.lastCpu = lastCpu;
    for (const wake of this.tickWaiters.splice(0)) wake();
  }

  /** Resolves at the first tick that sampled one of `pids`, or after `timeoutMs`, or when the watch ends. */
  private async nextTickWith(pids: readonly number[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pids.some((pid) => this.figures.has(pid)) && !this.failure && this.watcher) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.tickWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** One tree's usage: members from the listing (they live), figures from the newest tick. */
  private sum(identity: number | null, members: readonly WinProcessRow[]): TreeUsage {
    const usage: TreeUsage = { identity, cpuPercent: 0, memoryMB: 0, threads: 0, fileHandles: 0, processes: members.length, pids: members.map((m) => m.pid), zombiePids: [] };
    for (const m of members) {
      const f = this.figures.get(m.pid);
      if (!f) continue; // started after the last tick: counted, measured from the next one
      usage.cpuPercent += f.cpuPercent;
      usage.memoryMB += f.workingSetBytes / (1024 * 1024);
      usage.threads = (usage.threads ?? 0) + f.threads;
      usage.fileHandles = (usage.fileHandles ?? 0) + f.handles;
    }
    return usage;
  }
}

/** The tree of one root in a listing, or null when the root is gone or its pid was reused. */
function treeOf(root: UsageRoot, table: readonly WinProcessRow[]): { identity: number | null; members: WinProcessRow[] } | null {
  const self = table.find((p) => p.pid === root.pid);
  if (!self) return null;
  if (root.identity !== null && !sameCreation(self.createdMs, root.identity)) return null;
  return { identity: self.createdMs, members: windowsTree(root.pid, self.createdMs, table) };
}

/**
 * The Windows reader: the helper's when there is one, pidusage otherwise. A helper that turns out
 * unusable (missing, another version, garbage) is reported once (the read fails with why) and
 * pidusage reads from then on.
 */
export function windowsUsageReader(helper: WinHelper | null, intervalMs: number): UsageReader & { close(): void; setIntervalMs(ms: number): void } {
  const fallback = pidusageReader('win32');
  let primary: WinHelperUsageReader | null = helper ? new WinHelperUsageReader(helper, intervalMs) : null;
  return {
    async read(roots) {
      if (!primary) return fallback.read(roots);
      try {
        return await primary.read(roots);
      } catch (err) {
        if (!isHelperUnusable(err)) throw err;
        primary.close();
        primary = null;
        throw new Error(`${(err as Error).message}; resource use is read with pidusage (PowerShell) from now on`, { cause: err });
      }
    },
    setIntervalMs: (ms) => primary?.setIntervalMs(ms),
    close: () => primary?.close(),
  };
}
