// Health in words: a state and a score only where a probe stands behind them; what the probe
// asks; what the window last heard of it, or that it heard nothing since it opened.
import { describe, expect, it } from 'vitest';
import { agoText, everyText, healthSummary, lastProbeText, probeText } from '../../../renderer/store/health.js';
import { badgeModel } from '../../../renderer/store/selectors.js';
import type { ProbeSummary } from '../../../shared/status.js';
import { running, status } from '../helpers/fakes.js';

const http: ProbeSummary = { kind: 'http', target: 'http://127.0.0.1:8080/health', intervalMs: 10_000 };

describe('healthSummary', () => {
  it('says "no check" with no score for an agent without a probe, stopped or running', () => {
    for (const s of [status('a', { probe: null }), running('a', 0, { probe: null, health: 'unknown', healthScore: 100 })]) {
      const h = healthSummary(s);
      expect(h.text).toBe('no check');
      expect(h.score).toBeNull();
      expect(h.detail).toMatch(/No health check .*add one in the editor/);
    }
  });

  it('keeps a zombie (the sampler finds it, probe or not), without a score', () => {
    expect(healthSummary(running('a', 0, { probe: null, health: 'zombie', healthScore: 60 }))).toMatchObject({ text: 'zombie', tone: 'zombie', score: null });
  });

  it('gives the state and the score where a probe checks it, and "not checked" while it is stopped', () => {
    expect(healthSummary(running('a', 0, { probe: http, health: 'healthy', healthScore: 87 }))).toMatchObject({ text: 'healthy', tone: 'healthy', score: 87 });
    const stopped = healthSummary(status('a', { probe: http }));
    expect(stopped).toMatchObject({ text: 'not checked', tone: 'none', score: null });
    expect(stopped.detail).toBe('Not checked while it is not running; GET http://127.0.0.1:8080/health every 10 s');
  });

  it('never says "unknown score 100/100" for a host that does not name the probe', () => {
    expect(healthSummary(status('a'))).toMatchObject({ text: '—', score: null });
    expect(healthSummary(running('a', 0, { health: 'unhealthy', healthScore: 40 }))).toMatchObject({ text: 'unhealthy', score: 40 });
  });
});

describe('probe texts', () => {
  it('names what each kind of probe asks and how often', () => {
    expect(probeText(http)).toBe('GET http://127.0.0.1:8080/health every 10 s');
    expect(probeText({ kind: 'tcp', target: '127.0.0.1:5432', intervalMs: 2500 })).toBe('TCP connect to 127.0.0.1:5432 every 2.5 s');
    expect(probeText({ kind: 'command', target: 'pg_isready -q', intervalMs: 90_000 })).toBe('command pg_isready -q every 1m 30s');
    expect(everyText(500)).toBe('every 0.5 s');
  });

  it('says when the last reported probe was and what it answered', () => {
    const s = running('a', 0, { probe: http });
    expect(lastProbeText(s, http, { at: 1_000, ok: true, durationMs: 34.4, detail: 'HTTP 200' }, 13_500)).toBe('Last probe 12 s ago: HTTP 200 (34 ms).');
    expect(lastProbeText(s, http, { at: 0, ok: false, durationMs: 2000, detail: 'timed out after 2000 ms' }, 300_000)).toBe('Last probe 5m 0s ago: timed out after 2000 ms (2000 ms), failed.');
    // the status's own last probe (every probe) wins over an older one the window heard of
    const withLast = running('a', 0, { probe: http, lastProbe: { at: 9_000, ok: true, durationMs: 5, detail: 'HTTP 204' } });
    expect(lastProbeText(withLast, http, { at: 1_000, ok: true, durationMs: 34.4, detail: 'HTTP 200' }, 13_500)).toBe('Last probe 4 s ago: HTTP 204 (5 ms).');
  });

  it('says honestly that no probe answered yet, and that a stopped agent is not probed', () => {
    expect(lastProbeText(running('a', 0, { probe: http }), http, undefined, 1)).toBe('No probe has answered yet in this run; the next is due within 10 s.');
    expect(lastProbeText(status('a', { probe: http }), http, undefined, 1)).toBe('Not probed while it is not running.');
  });

  it('writes how long ago in seconds, then as an uptime', () => {
    expect(agoText(0, 999)).toBe('0 s ago');
    expect(agoText(0, 119_000)).toBe('119 s ago');
    expect(agoText(0, 3_600_000)).toBe('1h 0m ago');
  });
});

describe('the badge tooltip', () => {
  it('shows health only where a probe stands behind it', () => {
    expect(badgeModel(running('a', 0, { probe: http, health: 'healthy', healthScore: 90 }), 1000).tooltip).toContain('health healthy (90)');
    const none = badgeModel(status('a', { probe: null }), 1000).tooltip;
    expect(none).toContain('no health check');
    expect(none).not.toMatch(/unknown|100/);
    expect(badgeModel(status('a', { probe: http }), 1000).tooltip).not.toContain('health');
  });
});
