// One timer that samples the process trees of every watched agent and keeps a bounded history per agent.
import type { ResourceSample } from '../../../shared/status.js';
import { defaultWinHelper, type WinHelper } from '../platform/win-helper.js';
import { defaultGpuReader } from './gpu-readers.js';
import { agentGpuMemoryMB, NO_GPU, type GpuReader, type GpuReading } from './gpu-usage.js';
import { pidusageReader } from './pidusage-usage.js';
import { ProcUsageReader } from './proc-usage.js';
import { windowsUsageReader } from './win-helper-usage.js';

/** A watched agent's root process; `identity` tells a recycled pid apart (null until first seen). */
export interface UsageRoot {
  pid: number;
  /** Backend-specific creation stamp: start ticks on Linux, creation time (epoch ms) elsewhere. */
  identity: number | null;
}

/** One reading of one tree, as a backend gives it. */
export interface TreeUsage {
  identity: number | null;
  cpuPercent: number;
  memoryMB: number;
  threads: number | null;
  fileHandles: number | null;
  /** Live processes in the tree (zombies not counted). */
  processes: number;
  /** The live processes' pids. */
  pids: number[];
  /** Processes of the tree in state Z (exited, not reaped). */
  zombiePids: number[];
}

/** Reads many trees at once; the answer is aligned with `roots`, null where a root is gone. */
export interface UsageReader {
  read(roots: readonly UsageRoot[]): Promise<(TreeUsage | null)[]>;
  /** The sampler's interval changed (a reader with a resident helper restarts it). */
  setIntervalMs?(ms: number): void;
  /** The sampler closed: end what the reader keeps running. */
  close?(): void;
}

/** What a sample callback gets besides the sample. */
export interface SampleExtra {
  zombiePids: number[];
  pids: number[];
}

export interface SamplerOptions {
  /** Time between ticks; default 2000, at least 2000 on Windows (each tick runs the helper's `list`, or PowerShell without it), at least 100 elsewhere. */
  intervalMs?: number;
  platform?: NodeJS.Platform;
  /** How far back the history of each agent reaches; default 10 minutes. */
  historyMs?: number;
  onSample?: (name: string, sample: ResourceSample, extra: SampleExtra) => void;
  /** A tick that failed on the timer (sampleNow() rejects instead), or a throwing onSample. Default: console.warn. */
  onError?: (error: Error) => void;
  /** Windows: the helper whose resident `watch` samples the trees (undefined: the default one; null: none, pidusage reads). */
  winHelper?: WinHelper | null;
  /** Reads GPU memory per process each tick (undefined: nvidia-smi and rocm-smi when on PATH; null: none, gpuMemoryMB stays null). */
  gpu?: GpuReader | null;
}

export const DEFAULT_INTERVAL_MS = 2000;
export const WIN32_MIN_INTERVAL_MS = 2000;
export const MIN_INTERVAL_MS = 100;
export const DEFAULT_HISTORY_MS = 600_000;
/** The fewest samples a history keeps, whatever historyMs / intervalMs says. */
export const MIN_HISTORY_SAMPLES = 10;

/** The interval a platform allows: at least 2 s on Windows, at least 100 ms elsewhere. */
export function effectiveIntervalMs(ms: number, platform: NodeJS.Platform): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`the sampling interval must be a positive number of ms, got ${ms}`);
  return Math.max(ms, platform === 'win32' ? WIN32_MIN_INTERVAL_MS : MIN_INTERVAL_MS);
}

/** How many samples cover historyMs at intervalMs (at least MIN_HISTORY_SAMPLES). */
export function historyCapacity(historyMs: number, intervalMs: number): number {
  return Math.max(MIN_HISTORY_SAMPLES, Math.ceil(historyMs / intervalMs));
}

/** A fixed-size ring of the newest samples. */
class SampleRing {
  private items: ResourceSample[] = [];
  private start = 0;

  constructor(private capacity: number) {}

  /** Adds a sample, dropping the oldest beyond the capacity. */
  push(sample: ResourceSample): void {
    if (this.items.length < this.capacity) this.items.push(sample);
    else {
      this.items[this.start] = sample;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The samples, oldest first. */
  toArray(): ResourceSample[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  /** The newest sample. */
  last(): ResourceSample | null {
    if (this.items.length === 0) return null;
    return this.items[(this.start + this.items.length - 1) % this.items.length] ?? null;
  }

  /** Changes the capacity, keeping the newest samples. */
  resize(capacity: number): void {
    const kept = this.toArray().slice(-capacity);
    this.capacity = capacity;
    this.items = kept;
    this.start = 0;
  }
}

interface Watch {
  name: string;
  rootPid: number;
  identity: number | null;
  /** In the poll list; false after unwatch() or once the root is gone. */
  active: boolean;
  ring: SampleRing;
}

/** Rounds to one decimal. */
function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Samples every watched agent's tree on one timer: one read of the process table per tick for all of them. */
export class Sampler {
  private readonly platform: NodeJS.Platform;
  private readonly historyMs: number;
  private intervalMs: number;
  private readonly reader: UsageReader;
  private readonly gpu: GpuReader | null;
  private lastGpu: GpuReading = NO_GPU;
  private readonly watches = new Map<string, Watch>();
  private readonly onSample: SamplerOptions['onSample'];
  private readonly onError: (error: Error) => void;
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;

  constructor(opts: SamplerOptions = {}) {
    this.platform = opts.platform ?? process.platform;
    this.intervalMs = effectiveIntervalMs(opts.intervalMs ?? DEFAULT_INTERVAL_MS, this.platform);
    this.historyMs = opts.historyMs ?? DEFAULT_HISTORY_MS;
    if (!(this.historyMs > 0)) throw new RangeError(`historyMs must be positive, got ${this.historyMs}`);
    this.reader =
      this.platform === 'linux'
        ? new ProcUsageReader()
        : this.platform === 'win32'
          ? windowsUsageReader(opts.winHelper === undefined ? defaultWinHelper() : opts.winHelper, this.intervalMs)
          : pidusageReader(this.platform);
    this.gpu = opts.gpu === undefined ? defaultGpuReader((error) => this.onError(error)) : opts.gpu;
    this.onSample = opts.onSample;
    this.onError = opts.onError ?? ((error) => console.warn(`resource sampler: ${error.message}`));
  }

  /** Starts sampling the tree of rootPid as `name`; a previous watch of that name and its history are replaced. */
  watch(name: string, rootPid: number): void {
    if (!Number.isInteger(rootPid) || rootPid <= 0) throw new RangeError(`not a process id: ${rootPid}`);
    if (this.closed) throw new Error('the sampler is closed');
    this.watches.set(name, { name, rootPid, identity: null, active: true, ring: new SampleRing(historyCapacity(this.historyMs, this.intervalMs)) });
    this.updateTimer();
  }

  /** Stops sampling `name`; its history stays readable until the next watch of that name. */
  unwatch(name: string): void {
    const w = this.watches.get(name);
    if (w) w.active = false;
    this.updateTimer();
  }

  /** Gives the history of a watch that has ended to another name (a renamed agent); a watch still sampled is left alone. */
  rename(from: string, to: string): void {
    const w = this.watches.get(from);
    if (!w || w.active) return;
    this.watches.delete(from);
    w.name = to;
    this.watches.set(to, w);
  }

  /** Whether `name` is in the poll list (false after unwatch and once its root process is gone). */
  isWatching(name: string): boolean {
    return this.watches.get(name)?.active ?? false;
  }

  /** The newest sample of `name`, or null. */
  latest(name: string): ResourceSample | null {
    return this.watches.get(name)?.ring.last() ?? null;
  }

  /** The GPUs' memory at the last tick; null where no GPU is known (no nvidia-smi, or its query failed). */
  gpus(): GpuReading['gpus'] {
    return this.lastGpu.available ? this.lastGpu.gpus : null;
  }

  /** The kept samples of `name`, oldest first; only those taken after sinceMs (epoch ms) when given. */
  history(name: string, sinceMs?: number): ResourceSample[] {
    const all = this.watches.get(name)?.ring.toArray() ?? [];
    return sinceMs === undefined ? all : all.filter((s) => s.at > sinceMs);
  }

  /** Changes the interval (restarting the timer) and resizes every history to keep historyMs. */
  setIntervalMs(ms: number): void {
    this.intervalMs = effectiveIntervalMs(ms, this.platform);
    this.reader.setIntervalMs?.(this.intervalMs);
    for (const w of this.watches.values()) w.ring.resize(historyCapacity(this.historyMs, this.intervalMs));
    this.stopTimer();
    this.updateTimer();
  }

  /** One tick now, after any tick in progress (ticks never overlap); rejects if reading failed. */
  sampleNow(): Promise<void> {
    this.pending++;
    const run = this.queue.then(() => this.tick()).finally(() => this.pending--);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and the polling of every agent; histories stay readable. */
  close(): void {
    this.closed = true;
    for (const w of this.watches.values()) w.active = false;
    this.stopTimer();
    this.reader.close?.();
  }

  /** Reads every active tree once and records a sample per agent; a gone root leaves the poll list silently. */
  private async tick(): Promise<void> {
    const polled = [...this.watches.values()].filter((w) => w.active);
    if (polled.length === 0) return;
    const [usages, gpu] = await Promise.all([this.reader.read(polled.map((w) => ({ pid: w.rootPid, identity: w.identity }))), this.gpu ? this.gpu.read() : NO_GPU]);
    this.lastGpu = gpu;
    const at = Date.now();
    polled.forEach((w, i) => {
      if (!w.active || this.watches.get(w.name) !== w) return; // unwatched or replaced during the read
      const usage = usages[i];
      if (!usage) {
        w.active = false;
        return;
      }
      w.identity ??= usage.identity;
      const sample: ResourceSample = {
        at,
        cpuPercent: oneDecimal(usage.cpuPercent),
        memoryMB: oneDecimal(usage.memoryMB),
        threads: usage.threads,
        fileHandles: usage.fileHandles,
        processes: usage.processes,
        gpuMemoryMB: agentGpuMemoryMB(gpu, usage.pids),
      };
      w.ring.push(sample);
      try {
        this.onSample?.(w.name, sample, { zombiePids: usage.zombiePids, pids: usage.pids });
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.updateTimer();
  }

  /** Runs the timer while some agent is polled, stops it when none is. */
  private updateTimer(): void {
    const anyActive = [...this.watches.values()].some((w) => w.active);
    if (!anyActive || this.closed) {
      this.stopTimer();
      return;
    }
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.pending > 0) return; // the previous tick is still running: skip, never overlap
      this.sampleNow().catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Clears the timer. */
  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
