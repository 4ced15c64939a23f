// @vitest-environment jsdom
// Health on an agent's page and in the list: no health word and no score without a probe (a link
// to add one instead); with one, the state, what it probes, and the last reported probe result, or
// honestly that none was reported since the window opened.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentsList } from '../../../../renderer/components/agents/AgentsList.js';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import type { ProbeSummary } from '../../../../shared/status.js';
import { fakeBridge, running, status } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

afterEach(cleanup);

const http: ProbeSummary = { kind: 'http', target: 'http://127.0.0.1:8080/health', intervalMs: 10_000 };
const handlers = { getDefinition: () => ({ name: 'alpha', command: 'python3', args: [], env: {} }) };

describe('the Health section and the header', () => {
  it('shows no health word and no score for a stopped agent without a probe, and offers to add one', async () => {
    const h = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [status('alpha', { probe: null })], handlers });
    const facts = screen.getByRole('banner');
    expect(within(facts).getByText('Health').nextElementSibling?.textContent).toBe('no check');
    const health = screen.getByRole('region', { name: 'Health' });
    expect(health.textContent).not.toMatch(/unknown|healthy|score|100/);
    expect(health.textContent).toContain('No health check.');
    await userEvent.click(within(health).getByRole('button', { name: 'Add one in the editor' }));
    expect(h.store.getState().ui.editor).toEqual({ mode: 'edit', name: 'alpha', template: null });
  });

  it('with a probe that has not answered yet, says so with the interval', async () => {
    await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [running('alpha', Date.now() - 60_000, { probe: http, health: 'healthy', healthScore: 95 })], handlers });
    const health = screen.getByRole('region', { name: 'Health' });
    expect(within(health).getByText('healthy').className).toContain('detail-health--healthy');
    expect(health.textContent).toContain('score 95/100');
    expect(health.textContent).toContain('No probe has answered yet in this run; the next is due within 10 s.');
    expect(health.textContent).toContain('Probe: GET http://127.0.0.1:8080/health every 10 s.');
    expect(health.textContent).not.toContain('No probe results since this window opened');
  });

  it('shows the last probe: when and what it answered, from every probe event, not only those that changed the health', async () => {
    const h = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [running('alpha', Date.now() - 60_000, { probe: http, health: 'starting' })], handlers });
    const at = Date.now() - 12_000;
    act(() => h.fake.emit({ type: 'health-changed', name: 'alpha', from: 'starting', to: 'healthy', score: 100, probe: { at, ok: true, durationMs: 34, detail: 'HTTP 200' }, at }));
    const health = screen.getByRole('region', { name: 'Health' });
    expect(health.querySelector('.detail-last-probe')?.textContent).toMatch(/^Last probe 1[0-3] s ago: HTTP 200 \(34 ms\)\.$/);
    // a probe that changes nothing arrives as a 'probe' event and is the last one now
    act(() => h.fake.emit({ type: 'probe', name: 'alpha', probe: { at: Date.now() - 2_000, ok: true, durationMs: 7, detail: 'HTTP 204' } }));
    expect(health.querySelector('.detail-last-probe')?.textContent).toMatch(/^Last probe [1-3] s ago: HTTP 204 \(7 ms\)\.$/);
    expect(within(health).getByRole('list', { name: 'Recent probes' }).children.length).toBe(2);
  });

  it('shows the last probe the host reports in the status of a window that just opened', async () => {
    const lastProbe = { at: Date.now() - 5_000, ok: false, durationMs: 2, detail: 'connection refused' };
    await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [running('alpha', Date.now() - 60_000, { probe: http, health: 'unhealthy', lastProbe })], handlers });
    expect(screen.getByRole('region', { name: 'Health' }).querySelector('.detail-last-probe')?.textContent).toMatch(/^Last probe [4-7] s ago: connection refused \(2 ms\), failed\.$/);
  });

  it('says a stopped agent with a probe is not checked, without a score', async () => {
    await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [status('alpha', { probe: http })], handlers });
    expect(within(screen.getByRole('banner')).getByText('Health').nextElementSibling?.textContent).toBe('not checked');
    expect(screen.getByRole('region', { name: 'Health' }).textContent).toContain('Not probed while it is not running.');
  });
});

describe('the health column of the list', () => {
  it('shows the state and score only where a probe checks the agent', () => {
    const fake = fakeBridge({});
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    render(
      <TrayStoreProvider store={store}>
        <AgentsList />
      </TrayStoreProvider>,
    );
    const now = Date.now();
    act(() =>
      fake.emit({
        type: 'snapshot',
        at: now,
        agents: [
          running('probed', now, { probe: http, health: 'healthy', healthScore: 97 }),
          running('plain', now, { probe: null, health: 'unknown', healthScore: 100 }),
          running('zomb', now, { probe: null, health: 'zombie', healthScore: 70 }),
        ],
      }),
    );
    const cell = (name: string) => screen.getByRole('row', { name: new RegExp(`^${name},`) }).querySelector('.agents__health') as HTMLElement;
    expect(cell('probed').textContent).toBe('healthy (97)');
    expect(cell('plain').textContent).toBe('—');
    expect(cell('plain').title).toMatch(/No health check/);
    expect(cell('zomb').textContent).toBe('zombie');
  });
});
