// How numbers, times and secrets look in the window. Pure functions of their arguments.

/** Shown where a value is unknown (a stopped agent has no CPU). */
export const NO_VALUE = '—';

/** A duration as people say it: "12s", "3m 2s", "2h 3m", "1d 4h". */
export function formatUptime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_VALUE;
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600) % 24;
  const d = Math.floor(total / 86_400);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** Memory in MB: "3.2 MB", "512 MB", "1.5 GB". */
export function formatMemory(mb: number | null | undefined): string {
  if (mb === null || mb === undefined || !Number.isFinite(mb)) return NO_VALUE;
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`;
  if (mb < 10) return `${(Math.round(mb * 10) / 10).toFixed(1)} MB`;
  return `${Math.round(mb)} MB`;
}

/** CPU percent with one decimal: "12.5 %" (100 % = one core). */
export function formatCpu(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return NO_VALUE;
  return `${(Math.round(percent * 10) / 10).toFixed(1)} %`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A time of day in this window's time zone: "14:03:05", with milliseconds "14:03:05.123". */
export function formatClock(epochMs: number, withMs = false): string {
  const d = new Date(epochMs);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMs ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** True for an environment variable (or flag) whose value is a secret: its name contains KEY, TOKEN, SECRET or PASSWORD. */
export function isSecretName(name: string): boolean {
  return /KEY|TOKEN|SECRET|PASSWORD/i.test(name);
}

/** What a secret value is shown as. */
export const MASK = '••••••••';

export interface EnvEntry {
  name: string;
  /** The value, or MASK for a secret. */
  value: string;
  secret: boolean;
}

/** An agent's environment for display, sorted by name, with secret values masked. */
export function maskEnv(env: Record<string, string> | undefined): EnvEntry[] {
  return Object.entries(env ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => (isSecretName(name) ? { name, value: value === '' ? '' : MASK, secret: true } : { name, value, secret: false }));
}

/** Command-line arguments for display: `--api-key=x` and the argument after `--token` are masked. */
export function maskArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  for (const arg of args) {
    if (maskNext) {
      out.push(MASK);
      maskNext = false;
      continue;
    }
    const flag = /^(--?[A-Za-z0-9][\w.-]*)(=(.*))?$/.exec(arg);
    if (flag && isSecretName(flag[1] as string)) {
      if (flag[2] !== undefined) out.push(`${flag[1]}=${MASK}`);
      else {
        out.push(arg);
        maskNext = true;
      }
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** "1 line", "12,345 lines". */
export const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
