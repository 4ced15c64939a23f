import { describe, expect, it } from 'vitest';
import { onDemandText } from '../../../renderer/store/on-demand.js';

const od = { listening: true, publicPort: 8080, internalPort: null, idleSince: 1_000, connections: 0 };

describe('onDemandText', () => {
  it('is null for an agent that is not on demand', () => {
    expect(onDemandText({ state: 'running' }, 0)).toBeNull();
  });
  it('says a stopped agent starts on the first connection', () => {
    expect(onDemandText({ state: 'stopped', onDemand: od }, 5_000)).toBe('listening on :8080; starts on the first connection');
  });
  it('counts open connections', () => {
    expect(onDemandText({ state: 'running', onDemand: { ...od, idleSince: null, connections: 2, internalPort: 40001 } }, 5_000)).toBe('2 connections through :8080');
  });
  it('says how long a running agent has been idle', () => {
    expect(onDemandText({ state: 'running', onDemand: { ...od, internalPort: 40001 } }, 61_000)).toMatch(/^idle for 1m/);
  });
  it('says it does not listen when the port is taken', () => {
    expect(onDemandText({ state: 'stopped', onDemand: { ...od, listening: false, problem: 'port 8080 is in use by pid 7' } }, 0)).toBe('not listening on :8080');
  });
});
