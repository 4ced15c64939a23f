// GPU memory per process from nvidia-smi: looked for once on PATH, then one query per sampler tick.
import which from 'which';
import { runCommand } from '../platform/run-command.js';
import { COMPUTE_APPS_ARGS, GPUS_ARGS, gpuMemoryOf, parseComputeApps, parseGpus, type ComputeApp, type GpuMemory } from './nvidia-smi.js';

/** One tick's GPU reading. `available` false: no nvidia-smi on this machine. `apps`/`gpus` null: that query failed this tick. */
export interface GpuReading {
  available: boolean;
  apps: ComputeApp[] | null;
  gpus: GpuMemory[] | null;
}

/** What the sampler needs from a GPU reader. */
export interface GpuReader {
  /** Reads the GPUs once; never rejects. */
  read(): Promise<GpuReading>;
}

export interface NvidiaSmiOptions {
  /** Finds the executable; default: `which` on the PATH of the moment of the first read. null: not found. */
  locate?: () => Promise<string | null>;
  /** Runs it with arguments and resolves with stdout; default: runCommand with timeoutMs. */
  exec?: (file: string, args: string[]) => Promise<string>;
  /** The longest one query may take; default 5000 ms. */
  timeoutMs?: number;
  /** The first failure of a streak of failed queries (later ones are quiet until a query succeeds). */
  onError?: (error: Error) => void;
}

/** The reading of a machine without nvidia-smi. */
export const NO_GPU: GpuReading = { available: false, apps: null, gpus: null };

/**
 * The GPU memory of an agent's process tree from a reading: null when not known (no nvidia-smi,
 * a failed query, or a process listed without a figure as under Windows WDDM), else MB (0: none).
 */
export function agentGpuMemoryMB(reading: GpuReading, pids: readonly number[]): number | null {
  if (!reading.available || reading.apps === null) return null;
  return gpuMemoryOf(reading.apps, pids);
}

/** How a GPU reader finds and runs its program (`opts` may replace each, for tests), with the defaults filled in. */
export function smiRunner(program: string, opts: NvidiaSmiOptions): Required<Pick<NvidiaSmiOptions, 'locate' | 'exec' | 'onError'>> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    locate: opts.locate ?? (() => which(program, { nothrow: true })),
    exec: opts.exec ?? ((file, args) => runCommand(file, args, { timeoutMs })),
    onError: opts.onError ?? (() => undefined),
  };
}

/** Reads NVIDIA GPUs through nvidia-smi; its absence is remembered, so later reads cost nothing. */
export class NvidiaSmiReader implements GpuReader {
  private located: Promise<string | null> | null = null;
  private failing = false;
  private readonly locate: () => Promise<string | null>;
  private readonly exec: (file: string, args: string[]) => Promise<string>;
  private readonly onError: (error: Error) => void;

  constructor(opts: NvidiaSmiOptions = {}) {
    ({ locate: this.locate, exec: this.exec, onError: this.onError } = smiRunner('nvidia-smi', opts));
  }

  /** Both queries at once; a failed query gives null for its part, and is tried again on the next read. */
  async read(): Promise<GpuReading> {
    this.located ??= this.locate().catch(() => null);
    const file = await this.located;
    if (file === null) return NO_GPU;
    const [apps, gpus] = await Promise.all([this.query(file, COMPUTE_APPS_ARGS, parseComputeApps), this.query(file, GPUS_ARGS, parseGpus)]);
    if (apps !== null && gpus !== null) this.failing = false;
    return { available: true, apps, gpus };
  }

  /** One query parsed, or null when it failed (reported once per streak of failures). */
  private async query<T>(file: string, args: readonly string[], parse: (text: string) => T): Promise<T | null> {
    try {
      return parse(await this.exec(file, [...args]));
    } catch (error) {
      if (!this.failing) this.onError(new Error(`nvidia-smi (${file}) failed: ${error instanceof Error ? error.message : String(error)}`));
      this.failing = true;
      return null;
    }
  }
}
