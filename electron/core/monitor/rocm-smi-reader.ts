// GPU memory per process from rocm-smi (AMD GPUs): looked for once on PATH, then one `--showpids` per sampler tick.
import { NO_GPU, smiRunner, type GpuReader, type GpuReading, type NvidiaSmiOptions } from './gpu-usage.js';
import { parseShowPids, SHOWPIDS_ARGS } from './rocm-smi.js';

/**
 * Reads AMD GPUs through `rocm-smi --showpids`; its absence is remembered. It gives no per-GPU totals
 * (`gpus` null). A rocm-smi whose first query fails (installed without an AMD GPU or its driver) is
 * left alone from then on, so that it neither runs each tick nor makes NVIDIA figures unknown.
 */
export class RocmSmiReader implements GpuReader {
  private located: Promise<string | null> | null = null;
  private failing = false;
  private answered = false;
  private readonly locate: () => Promise<string | null>;
  private readonly exec: (file: string, args: string[]) => Promise<string>;
  private readonly onError: (error: Error) => void;

  constructor(opts: NvidiaSmiOptions = {}) {
    ({ locate: this.locate, exec: this.exec, onError: this.onError } = smiRunner('rocm-smi', opts));
  }

  /** One query; a failure (or output it cannot read) gives apps null, reported once per streak and tried again next read. */
  async read(): Promise<GpuReading> {
    this.located ??= this.locate().catch(() => null);
    const file = await this.located;
    if (file === null) return NO_GPU;
    try {
      const apps = parseShowPids(await this.exec(file, [...SHOWPIDS_ARGS]));
      this.failing = false;
      this.answered = true;
      return { available: true, apps, gpus: null };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      if (!this.answered) {
        this.located = Promise.resolve(null);
        this.onError(new Error(`rocm-smi (${file}) failed on its first query, so AMD GPU memory is not read: ${why}`));
        return NO_GPU;
      }
      if (!this.failing) this.onError(new Error(`rocm-smi (${file}) failed: ${why}`));
      this.failing = true;
      return { available: true, apps: null, gpus: null };
    }
  }
}
