// How the window writes durations, memory, CPU and times, and which values it hides.
import { describe, expect, it } from 'vitest';
import { formatClock, formatCpu, formatMemory, formatUptime, isSecretName, MASK, maskArgs, maskEnv, NO_VALUE } from '../../../renderer/store/format.js';

describe('format', () => {
  it('uptime: seconds, minutes and seconds, hours and minutes, days and hours', () => {
    expect(formatUptime(0)).toBe('0s');
    expect(formatUptime(999)).toBe('0s');
    expect(formatUptime(12_400)).toBe('12s');
    expect(formatUptime(182_000)).toBe('3m 2s');
    expect(formatUptime(3_600_000)).toBe('1h 0m');
    expect(formatUptime(2 * 3_600_000 + 3 * 60_000 + 59_000)).toBe('2h 3m');
    expect(formatUptime(86_400_000 + 4 * 3_600_000 + 1)).toBe('1d 4h');
    expect(formatUptime(-5)).toBe('0s');
    expect(formatUptime(null)).toBe(NO_VALUE);
    expect(formatUptime(Number.NaN)).toBe(NO_VALUE);
  });

  it('memory: one decimal below 10 MB, whole MB, GB from 1024 MB', () => {
    expect(formatMemory(3.24)).toBe('3.2 MB');
    expect(formatMemory(0)).toBe('0.0 MB');
    expect(formatMemory(512.4)).toBe('512 MB');
    expect(formatMemory(1536)).toBe('1.5 GB');
    expect(formatMemory(null)).toBe(NO_VALUE);
  });

  it('cpu: one decimal and a percent sign', () => {
    expect(formatCpu(12.46)).toBe('12.5 %');
    expect(formatCpu(0)).toBe('0.0 %');
    expect(formatCpu(250)).toBe('250.0 %');
    expect(formatCpu(undefined)).toBe(NO_VALUE);
  });

  it('clock: hours, minutes, seconds in local time, optionally milliseconds', () => {
    const t = new Date(2026, 0, 2, 14, 3, 5, 7).getTime();
    expect(formatClock(t)).toBe('14:03:05');
    expect(formatClock(t, true)).toBe('14:03:05.007');
  });
});

describe('secrets', () => {
  it('a name containing KEY, TOKEN, SECRET or PASSWORD, in any case, is a secret', () => {
    for (const name of ['OPENAI_API_KEY', 'api_key', 'GITHUB_TOKEN', 'token', 'CLIENT_SECRET', 'Db_Password', 'KEYRING']) expect(isSecretName(name), name).toBe(true);
    for (const name of ['PATH', 'LOG_LEVEL', 'PORT', 'HOME', 'PASS']) expect(isSecretName(name), name).toBe(false);
  });

  it('masks secret values of an environment and sorts it by name', () => {
    expect(maskEnv({ OPENAI_API_KEY: 'sk-123', LOG_LEVEL: 'info', db_password: 'hunter2', EMPTY_TOKEN: '' })).toEqual([
      { name: 'db_password', value: MASK, secret: true },
      { name: 'EMPTY_TOKEN', value: '', secret: true },
      { name: 'LOG_LEVEL', value: 'info', secret: false },
      { name: 'OPENAI_API_KEY', value: MASK, secret: true },
    ]);
    expect(maskEnv(undefined)).toEqual([]);
  });

  it('masks secrets given as command-line flags', () => {
    expect(maskArgs(['serve', '--api-key=sk-1', '--token', 'abc', '--port', '8000', '-v'])).toEqual(['serve', `--api-key=${MASK}`, '--token', MASK, '--port', '8000', '-v']);
  });
});
