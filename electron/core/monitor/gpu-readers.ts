// The sampler's GPU reader on a real machine: NVIDIA (nvidia-smi) and AMD (rocm-smi) read side by side.
import { NO_GPU, NvidiaSmiReader, type GpuReader, type GpuReading } from './gpu-usage.js';
import { RocmSmiReader } from './rocm-smi-reader.js';

/**
 * Two readings as one: available where either is; the processes of both where each available one
 * answered (null, unknown, where one of them failed this tick); the GPU totals of those that give them.
 */
export function mergeReadings(a: GpuReading, b: GpuReading): GpuReading {
  if (!a.available) return b;
  if (!b.available) return a;
  const apps = a.apps === null || b.apps === null ? null : [...a.apps, ...b.apps];
  const gpus = a.gpus === null && b.gpus === null ? null : [...(a.gpus ?? []), ...(b.gpus ?? [])];
  return { available: true, apps, gpus };
}

/** Reads every GPU reader at once and merges their readings; never rejects. */
export class GpuReaders implements GpuReader {
  constructor(private readonly readers: readonly GpuReader[]) {}

  async read(): Promise<GpuReading> {
    const readings = await Promise.all(this.readers.map((r) => r.read()));
    return readings.reduce(mergeReadings, NO_GPU);
  }
}

/** The default: nvidia-smi and rocm-smi, each looked for once on PATH (a machine with neither runs nothing). */
export function defaultGpuReader(onError?: (error: Error) => void): GpuReader {
  return new GpuReaders([new NvidiaSmiReader({ onError }), new RocmSmiReader({ onError })]);
}
