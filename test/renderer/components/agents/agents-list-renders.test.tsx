// @vitest-environment jsdom
// The agents list with many agents renders again only the rows that changed: an event about one
// agent renders one row, not every row (measured by the window benchmark: with 200 agents and 10
// events a second, rendering every row made the list drop frames), and the uptime's clock renders
// a row only when its uptime text changes.
import { act, cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentStatus } from '../../../../shared/status.js';
import { formatUptime } from '../../../../renderer/store/format.js';
import { uptimeOf } from '../../../../renderer/store/selectors.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, running, status } from '../../helpers/fakes.js';

/** The names of the rows rendered since the last reset, in order. */
const rendered: string[] = [];

vi.mock('../../../../renderer/components/agents/AgentRow.js', async (original) => {
  const real = await original<typeof import('../../../../renderer/components/agents/AgentRow.js')>();
  return {
    ...real,
    AgentRow: (props: Parameters<typeof real.AgentRow>[0]) => {
      rendered.push(props.status.name);
      return real.AgentRow(props);
    },
  };
});

const { AgentsList, rowClock } = await import('../../../../renderer/components/agents/AgentsList.js');

afterEach(cleanup);

const name = (i: number) => `agent-${String(i).padStart(3, '0')}`;

function setup(count: number) {
  const fake = fakeBridge();
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <AgentsList />
    </TrayStoreProvider>,
  );
  const now = Date.now();
  const agents: AgentStatus[] = Array.from({ length: count }, (_, i) => (i % 5 === 4 ? status(name(i)) : running(name(i), now - 3 * 3_600_000, { pid: 1000 + i, stats: { at: now, cpuPercent: 1, memoryMB: 50, threads: 1, fileHandles: 3, processes: 1 } })));
  act(() => fake.emit({ type: 'snapshot', at: now, agents }));
  return { fake, now };
}

describe('AgentsList rendering', () => {
  it('renders only the row of the agent an event is about', () => {
    const { fake, now } = setup(60);
    expect(screen.getAllByRole('row')).toHaveLength(61);
    rendered.length = 0;
    act(() => fake.emit({ type: 'stats', name: name(7), sample: { at: now + 1, cpuPercent: 42, memoryMB: 77, threads: 1, fileHandles: 3, processes: 1 } }));
    expect(rendered).toEqual([name(7)]);
    expect(screen.getByRole('row', { name: `${name(7)}, running` }).textContent).toContain('42.0 %');

    rendered.length = 0;
    act(() => fake.emit({ type: 'log', name: name(3), lines: [{ stream: 'stdout', at: now + 2, text: 'hello' }] }));
    expect(rendered).toEqual([]);
  });

  it('keeps the keyboard on the right rows after a re-sort moved them', async () => {
    const { fake, now } = setup(12);
    await userEvent.click(screen.getByRole('button', { name: /^CPU/ }));
    act(() => fake.emit({ type: 'stats', name: name(10), sample: { at: now + 1, cpuPercent: 99, memoryMB: 77, threads: 1, fileHandles: 3, processes: 1 } }));
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows[0]?.getAttribute('aria-label')).toBe(`${name(10)}, running`);
    rows[0]!.focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(rows[1]);
  });

  it('rowClock changes when the uptime text changes, and only then', () => {
    const startedAt = 1_000_000;
    const agent = running('a', startedAt);
    const check = (upMs: number) => {
      const now = startedAt + upMs;
      const clock = rowClock(agent, now);
      expect(formatUptime(uptimeOf(agent, clock))).toBe(formatUptime(uptimeOf(agent, now)));
      return clock;
    };
    expect(check(5_400)).toBe(check(5_900)); // 5s
    expect(check(5_900)).not.toBe(check(6_000));
    expect(check(2 * 3_600_000 + 10_000)).toBe(check(2 * 3_600_000 + 50_000)); // 2h 0m
    expect(check(2 * 3_600_000 + 50_000)).not.toBe(check(2 * 3_600_000 + 60_000));
    expect(check(3 * 86_400_000 + 60_000)).toBe(check(3 * 86_400_000 + 3_000_000)); // 3d 0h
    expect(rowClock(status('b'), startedAt + 5_000)).toBe(0);
  });
});
