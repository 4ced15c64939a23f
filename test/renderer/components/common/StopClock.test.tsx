// @vitest-environment jsdom
// A stop that waits says where it stands, ticking: "Asked to stop 4s ago; forcing in 6s", then
// insisting, then "Killing…", on the host's clock (the store's clockOffsetMs); one shared timer
// runs only while something is stopping; and Kill is offered at once ("Kill NAME now").
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentsList } from '../../../../renderer/components/agents/AgentsList.js';
import { StopClock } from '../../../../renderer/components/common/StopClock.js';
import { stopTickRunning } from '../../../../renderer/components/common/use-stop-tick.js';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import { TrayStoreProvider, useTray } from '../../../../renderer/store/react.js';
import { badgeModel } from '../../../../renderer/store/selectors.js';
import { stopClockText } from '../../../../renderer/store/stop-clock.js';
import type { AgentStatus, StopProgress } from '../../../../shared/status.js';
import { running, status } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

/** The host's clock runs a minute ahead of this window's: every time below is on the host's. */
const AHEAD = 60_000;
const LOCAL = 1_750_000_000_000;
const HOST = LOCAL + AHEAD;

/** A stopping status whose stop is at `stop` (host times). */
function stopping(name: string, stop: StopProgress, patch: Partial<AgentStatus> = {}): AgentStatus {
  return running(name, HOST - 600_000, { state: 'stopping', since: stop.askedAt, stopping: stop, ...patch });
}

/** Asked 4 s ago (host time), the kill forced 10 s after the ask. */
const asked4s: StopProgress = { phase: 'asking', askedAt: HOST - 4_000, phaseSince: HOST - 4_000, forceAt: HOST + 6_000 };

const definition = { name: 'alpha', command: 'node', args: ['agent.js'], env: {} };
const killed = (name: string) => ({ ...status(name), stop: { name, exitCode: null, signal: 'SIGKILL', durationMs: 1, outcome: 'killed' as const, pids: [1] } });

beforeEach(() => {
  // Date and the intervals are the test's; other timers stay real (React, Testing Library)
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: LOCAL });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Renders `ui` against a host whose snapshot (sent at host time HOST) holds `agents`. */
async function withHost(ui: Parameters<typeof renderWithStore>[0], agents: AgentStatus[]) {
  const h = await renderWithStore(ui, { agents: null, handlers: { getDefinition: () => definition, killAgent: (i) => killed((i as { name: string }).name) } });
  act(() => h.fake.emit({ type: 'snapshot', at: HOST, agents }));
  return h;
}

/** Advances the fake clock by `ms`, running the ticks it passes. */
function pass(ms: number): void {
  act(() => {
    vi.advanceTimersByTime(ms);
  });
}

describe('stopClockText', () => {
  it('says the phase and the clock of each step', () => {
    expect(stopClockText(asked4s, HOST)).toBe('Asked to stop 4s ago; forcing in 6s');
    expect(stopClockText({ ...asked4s, forceAt: null }, HOST)).toBe('Asked to stop 4s ago');
    expect(stopClockText(asked4s, HOST + 5_800)).toBe('Asked to stop 9s ago; forcing in 1s');
    expect(stopClockText(asked4s, HOST + 6_000)).toBe('Asked to stop 10s ago; forcing now');
    expect(stopClockText({ ...asked4s, askedAt: HOST - 75_000 }, HOST)).toBe('Asked to stop 1m 15s ago; forcing in 6s');
    expect(stopClockText({ phase: 'insisting', askedAt: HOST - 10_000, phaseSince: HOST - 1_000, forceAt: HOST + 4_000 }, HOST)).toBe('Insisting: asked again 1s ago; forcing in 4s');
    expect(stopClockText({ phase: 'killing', askedAt: HOST - 15_000, phaseSince: HOST, forceAt: HOST }, HOST)).toBe('Killing…');
  });

  it('is in the badge tooltip too', () => {
    expect(badgeModel(stopping('alpha', asked4s), HOST).tooltip).toContain('Asked to stop 4s ago; forcing in 6s');
    expect(badgeModel(running('alpha', HOST - 1_000), HOST).tooltip).not.toMatch(/stop/i);
  });
});

describe('StopClock', () => {
  it('shows the clock on the agent page, on the host clock, ticking each second, and follows the phases', async () => {
    const h = await withHost(<AgentDetail name="alpha" tab="overview" />, [stopping('alpha', asked4s)]);
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Asked to stop 4s ago; forcing in 6s')).toBeTruthy();
    pass(1_000);
    expect(within(header).getByText('Asked to stop 5s ago; forcing in 5s')).toBeTruthy();
    pass(2_000);
    expect(within(header).getByText('Asked to stop 7s ago; forcing in 3s')).toBeTruthy();

    // the host moves the stop on: an agent-updated event with the new phase
    const insisting: StopProgress = { phase: 'insisting', askedAt: asked4s.askedAt, phaseSince: HOST + 3_000, forceAt: HOST + 8_000 };
    act(() => h.fake.emit({ type: 'agent-updated', name: 'alpha', status: stopping('alpha', insisting) }));
    expect(within(header).getByText('Insisting: asked again 0s ago; forcing in 5s')).toBeTruthy();
    pass(1_000);
    expect(within(header).getByText('Insisting: asked again 1s ago; forcing in 4s')).toBeTruthy();
    act(() => h.fake.emit({ type: 'agent-updated', name: 'alpha', status: stopping('alpha', { ...insisting, phase: 'killing', phaseSince: HOST + 8_000, forceAt: HOST + 8_000 }) }));
    expect(within(header).getByText('Killing…')).toBeTruthy();

    act(() => h.fake.emit({ type: 'state', name: 'alpha', from: 'stopping', to: 'stopped', reason: { kind: 'stopped', message: 'alpha stopped' }, at: HOST + 9_000, status: status('alpha') }));
    expect(within(header).queryByText(/Killing|Asked to stop|Insisting/)).toBeNull();
    expect(stopTickRunning()).toBe(false);
  });

  it('offers Kill at once while stopping, without the confirmation a running agent gets', async () => {
    const h = await withHost(<AgentDetail name="alpha" tab="overview" />, [stopping('alpha', asked4s)]);
    const kill = screen.getByRole('button', { name: 'Kill alpha now' });
    expect(kill.textContent).toBe('Kill now');
    fireEvent.click(kill);
    expect(screen.queryByText('Kill now?')).toBeNull();
    expect(h.fake.calls.filter((c) => c.name === 'killAgent').map((c) => c.input)).toEqual([{ name: 'alpha' }]);
    // a running agent is not offered "Kill now": its Kill asks first
    act(() => h.fake.emit({ type: 'state', name: 'alpha', from: 'stopped', to: 'running', reason: { kind: 'spawned', message: '' }, at: HOST, status: running('alpha', HOST) }));
    expect(screen.queryByRole('button', { name: 'Kill alpha now' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Kill' })).toBeTruthy();
  });

  it('shows the clock in the agents list row, whose Kill is "Kill NAME now" while stopping', async () => {
    const h = await withHost(<AgentsList />, [stopping('alpha', asked4s), running('beta', HOST - 1_000)]);
    const row = screen.getByRole('row', { name: /^alpha,/ });
    expect(within(row).getByText('Asked to stop 4s ago; forcing in 6s')).toBeTruthy();
    pass(1_000);
    expect(within(row).getByText('Asked to stop 5s ago; forcing in 5s')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Kill alpha now' }));
    expect(h.fake.calls.filter((c) => c.name === 'killAgent').map((c) => c.input)).toEqual([{ name: 'alpha' }]);
    const beta = screen.getByRole('row', { name: /^beta,/ });
    expect(within(beta).getByRole('button', { name: 'Kill beta' })).toBeTruthy();
    expect(within(beta).queryByText(/Asked to stop/)).toBeNull();
  });

  it('ticks with one shared timer, only while something is stopping', async () => {
    const three = [stopping('a', asked4s), stopping('b', asked4s), stopping('c', asked4s)];
    const h = await withHost(<Clocks names={[]} />, three);
    const show = (names: string[]) => h.rerender(<TrayStoreProvider store={h.store}><Clocks names={names} /></TrayStoreProvider>);
    expect(stopTickRunning()).toBe(false);
    const idle = vi.getTimerCount();
    show(['a']);
    expect(stopTickRunning()).toBe(true);
    expect(vi.getTimerCount()).toBe(idle + 1);
    show(['a', 'b', 'c']);
    expect(screen.getAllByText('Asked to stop 4s ago; forcing in 6s')).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(idle + 1);
    pass(1_000);
    expect(screen.getAllByText('Asked to stop 5s ago; forcing in 5s')).toHaveLength(3);
    // a stop that ends takes its clock away; the last one takes the timer with it
    for (const name of ['a', 'b', 'c']) act(() => h.fake.emit({ type: 'state', name, from: 'stopping', to: 'stopped', reason: { kind: 'stopped', message: '' }, at: HOST, status: status(name) }));
    expect(screen.queryByText(/Asked to stop/)).toBeNull();
    expect(stopTickRunning()).toBe(false);
    expect(vi.getTimerCount()).toBe(idle);
  });
});

/** The stop clocks of the named agents, from the store. */
function Clocks({ names }: { names: string[] }) {
  return (
    <>
      {names.map((n) => (
        <StoreClock key={n} name={n} />
      ))}
    </>
  );
}

/** One agent's clock, from the store. */
function StoreClock({ name }: { name: string }) {
  const s = useTray((st) => st.agents.byName[name]);
  return s ? <StopClock status={s} /> : null;
}
