// @vitest-environment jsdom
// An agent's page: the header's facts, the actions and their errors (next to the buttons, in the
// API's words), the kill confirmation, edit and duplicate, secrets masked, tabs by keyboard, the
// overview's sections, and an agent that is gone.
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import { RunHistoryProvider, type RunHistory } from '../../../../renderer/components/detail/run-history.js';
import { MASK } from '../../../../renderer/store/format.js';
import { useTray } from '../../../../renderer/store/react.js';
import type { AgentDefinitionInput } from '../../../../shared/agent.js';
import { BridgeError } from '../../../../shared/bridge.js';
import { running, status } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

afterEach(cleanup);

/** The page as the window shows it: the tab follows the store's view. */
function Page({ name }: { name: string }) {
  const view = useTray((s) => s.ui.view);
  return <AgentDetail name={name} tab={view === 'logs' ? 'logs' : 'overview'} />;
}

const definition: AgentDefinitionInput & { args: string[]; env: Record<string, string> } = {
  name: 'alpha',
  command: 'python3',
  args: ['server.py', '--api-key=sk-live-123', '--token', 'tok-456', '--port', '8080', 'two words'],
  cwd: '/srv/alpha',
  env: { OPENAI_API_KEY: 'sk-env-789', DB_PASSWORD: 'hunter2', LOG_LEVEL: 'debug', my_secret: 'abc' },
  port: 8080,
};

const handlers = { getDefinition: () => definition };

describe('AgentDetail', () => {
  it('shows the header: name, state, pid, port, uptime, restarts, health with its score', async () => {
    const startedAt = Date.now() - 65_000;
    await renderWithStore(<AgentDetail name="alpha" tab="overview" />, {
      agents: [running('alpha', startedAt, { pid: 4242, port: 8080, restarts: 2, health: 'healthy', healthScore: 87 })],
      handlers,
    });
    expect(screen.getByRole('heading', { name: 'alpha', level: 2 })).toBeTruthy();
    const state = screen.getByText('running', { selector: '.detail-state' });
    expect(state.className).toBe('detail-state detail-state--green');
    const facts = screen.getByRole('banner');
    expect(within(facts).getByText('PID').nextElementSibling?.textContent).toBe('4242');
    expect(within(facts).getByText('Port').nextElementSibling?.textContent).toBe('8080');
    expect(within(facts).getByText('Uptime').nextElementSibling?.textContent).toMatch(/^1m [5-7]s$/);
    expect(within(facts).getByText('Restarts').nextElementSibling?.textContent).toBe('2');
    expect(within(facts).getByText('Health').nextElementSibling?.textContent).toBe('healthy score 87/100');
  });

  it('says when a running agent was removed from agents.json by hand (it goes when it stops)', async () => {
    await renderWithStore(<AgentDetail name="alpha" tab="overview" />, {
      agents: [running('alpha', Date.now(), { removed: true })],
      handlers,
    });
    expect(screen.getByText('removed', { selector: '.detail-tag' })).toBeTruthy();
    expect(screen.getByRole('note').textContent).toMatch(/Removed from agents\.json: it keeps running until it is stopped/);
  });

  it('starts a stopped agent and stops a running one through the bridge', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, {
      agents: [status('alpha')],
      handlers: { ...handlers, startAgent: () => running('alpha', Date.now()), stopAgent: () => ({ ...status('alpha'), stop: { name: 'alpha', exitCode: 0, signal: null, durationMs: 5, outcome: 'graceful', pids: [1] } }) },
    });
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(h.fake.calls.find((c) => c.name === 'startAgent')?.input).toEqual({ name: 'alpha' });
    act(() => h.fake.emit({ type: 'state', name: 'alpha', from: 'starting', to: 'running', reason: { kind: 'spawned', message: '' }, at: Date.now(), status: running('alpha', Date.now()) }));
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(h.fake.calls.find((c) => c.name === 'stopAgent')?.input).toEqual({ name: 'alpha' });
  });

  it('shows a failed start next to the buttons, with its hint, until dismissed', async () => {
    const user = userEvent.setup();
    await renderWithStore(<AgentDetail name="alpha" tab="overview" />, {
      agents: [status('alpha')],
      handlers: {
        ...handlers,
        startAgent: () => {
          throw new BridgeError({ code: 'port-in-use', message: 'port 8080 is in use by pid 99 (node server.js)', hint: 'stop that process or change the port of alpha' });
        },
      },
    });
    await user.click(screen.getByRole('button', { name: 'Start' }));
    const actions = screen.getByRole('group', { name: 'Actions for alpha' }).parentElement as HTMLElement;
    const alert = within(actions).getByRole('alert');
    expect(alert.textContent).toContain('port 8080 is in use by pid 99 (node server.js)');
    expect(alert.textContent).toContain('stop that process or change the port of alpha');
    expect(alert.getAttribute('data-code')).toBe('port-in-use');
    await user.click(within(alert).getByRole('button', { name: 'Dismiss error' }));
    expect(within(actions).queryByRole('alert')).toBeNull();
  });

  it('kills only after the inline confirmation', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, {
      agents: [running('alpha', Date.now(), { pid: 77 })],
      handlers: { ...handlers, killAgent: () => ({ ...status('alpha'), stop: { name: 'alpha', exitCode: null, signal: 'SIGKILL', durationMs: 1, outcome: 'killed', pids: [77] } }) },
    });
    const kills = () => h.fake.calls.filter((c) => c.name === 'killAgent').length;
    await user.click(screen.getByRole('button', { name: 'Kill' }));
    expect(screen.getByText('Kill now?')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'No' }));
    await user.click(screen.getByRole('button', { name: 'No' }));
    expect(kills()).toBe(0);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Kill' }));

    await user.click(screen.getByRole('button', { name: 'Kill' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByText('Kill now?')).toBeNull();
    expect(kills()).toBe(0);

    await user.click(screen.getByRole('button', { name: 'Kill' }));
    await user.click(screen.getByRole('button', { name: 'Yes' }));
    expect(kills()).toBe(1);
    expect(h.fake.calls.find((c) => c.name === 'killAgent')?.input).toEqual({ name: 'alpha' });
  });

  it('masks secrets in the command line and the environment', async () => {
    const { container } = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [status('alpha')], handlers });
    const command = await screen.findByText(/^python3 server\.py/);
    expect(command.textContent).toBe(`python3 server.py --api-key=${MASK} --token ${MASK} --port 8080 'two words'`);
    const env = container.querySelector('.detail-env') as HTMLElement;
    const value = (name: string) => within(env).getByText(name).closest('tr')?.querySelector('td')?.textContent;
    expect(value('OPENAI_API_KEY')).toBe(MASK);
    expect(value('DB_PASSWORD')).toBe(MASK);
    expect(value('my_secret')).toBe(MASK);
    expect(value('LOG_LEVEL')).toBe('debug');
    expect(screen.getByText('/srv/alpha')).toBeTruthy();
    for (const secret of ['sk-live-123', 'tok-456', 'sk-env-789', 'hunter2', 'abc']) expect(container.textContent).not.toContain(secret);
  });

  it('opens the editor to edit, and to duplicate with the name plus -copy', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [status('alpha')], handlers });
    await user.click(screen.getByRole('button', { name: 'Edit' }));
    expect(h.store.getState().ui.editor).toEqual({ mode: 'edit', name: 'alpha', template: null });
    act(() => h.store.getState().actions.closeEditor());

    await user.click(screen.getByRole('button', { name: 'Duplicate' }));
    await waitFor(() => expect(h.store.getState().ui.editor?.mode).toBe('duplicate'));
    expect(h.store.getState().ui.editor).toEqual({ mode: 'duplicate', name: 'alpha', template: { ...definition, name: 'alpha-copy' } });
  });

  it('switches tabs with the arrow keys (navigating to the logs view and back)', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<Page name="alpha" />, { agents: [running('alpha', Date.now())], handlers });
    act(() => h.store.getState().actions.navigate('agent', 'alpha'));
    const overview = screen.getByRole('tab', { name: 'Overview' });
    expect(overview.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(overview.id);
    overview.focus();
    await user.keyboard('{ArrowRight}');
    expect(h.store.getState().ui.view).toBe('logs');
    const logs = screen.getByRole('tab', { name: 'Logs' });
    expect(logs.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(logs);
    expect(screen.getByRole('log', { name: 'Output of alpha' })).toBeTruthy();
    expect(overview.tabIndex).toBe(-1);

    await user.keyboard('{ArrowRight}');
    expect(h.store.getState().ui.view).toBe('agent');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Overview' }));
    await user.keyboard('{End}');
    expect(h.store.getState().ui.view).toBe('logs');
    await user.click(screen.getByRole('tab', { name: 'Overview' }));
    expect(h.store.getState().ui.view).toBe('agent');
    expect(h.store.getState().ui.selected).toBe('alpha');
  });

  it('says when the agent is gone and offers the way back to the list', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<AgentDetail name="ghost" tab="overview" />, { agents: [status('alpha')], handlers });
    expect(screen.getByText(/It may have been removed/).textContent).toBe('There is no agent named ghost. It may have been removed.');
    act(() => h.store.getState().actions.navigate('agent', 'ghost'));
    await user.click(screen.getByRole('button', { name: 'Back to the agents' }));
    expect(h.store.getState().ui.view).toBe('agents');
    expect(h.store.getState().ui.selected).toBeNull();
  });

  it('shows the overview: charts, probes, violations, the last error with its stderr, recent runs', async () => {
    const now = Date.now();
    const history: RunHistory = {
      runs: [
        { id: 'alpha-1', name: 'alpha', pid: 10, startedAt: now - 600_000, endedAt: now - 540_000, durationMs: 60_000, startedBy: 'user', ended: 'crashed', exitCode: 1, signal: null, restarts: 1, peakMemoryMB: 120, avgCpuPercent: 12.5, message: 'exited with code 1' },
      ],
      inProgress: [],
    };
    const asked: { name: string; limit: number }[] = [];
    const h = await renderWithStore(
      <RunHistoryProvider
        load={async (name, limit) => {
          asked.push({ name, limit });
          return history;
        }}
      >
        <AgentDetail name="alpha" tab="overview" />
      </RunHistoryProvider>,
      {
        agents: [
          status('alpha', {
            state: 'crashed',
            lastError: { message: 'alpha exited with code 1', at: now - 1000, exitCode: 1, signal: null, stderr: ['Traceback (most recent call last):', '\x1b[31mModuleNotFoundError\x1b[0m: No module named flask'] },
          }),
        ],
        handlers: {
          ...handlers,
          agentStats: () => ({ samples: [1, 2, 3].map((i) => ({ at: now - 3000 + i * 1000, cpuPercent: i * 10, memoryMB: 100 + i, threads: 1, fileHandles: 5, processes: 1 })) }),
          agentViolations: () => ({ violations: [{ at: now - 2000, kind: 'memory' as const, value: 900, limit: 800, action: 'restart' as const, message: 'memory 900 MB is over the limit of 800 MB' }] }),
        },
      },
    );
    expect(h.fake.calls.filter((c) => c.name === 'agentStats')).toHaveLength(1);
    await waitFor(() => expect(h.container.querySelector('[aria-label="CPU of alpha"]')?.closest('.ts-chart')?.getAttribute('data-points')).toBe('3'));
    expect(h.container.querySelector('[aria-label="Memory of alpha"]')?.closest('.ts-chart')?.getAttribute('data-points')).toBe('3');

    const lastError = screen.getByRole('region', { name: 'Last error' });
    expect(within(lastError).getByText('alpha exited with code 1')).toBeTruthy();
    expect(lastError.querySelector('pre')?.textContent).toBe('Traceback (most recent call last):\nModuleNotFoundError: No module named flask');

    const violations = screen.getByRole('region', { name: 'Limit violations' });
    expect(within(violations).getByText('memory 900 MB is over the limit of 800 MB')).toBeTruthy();

    const runs = screen.getByRole('region', { name: 'Recent runs' });
    await waitFor(() => expect(within(runs).getByText('crashed (exit 1)')).toBeTruthy());
    expect(within(runs).getByText('120 MB')).toBeTruthy();
    expect(asked[0]).toEqual({ name: 'alpha', limit: 10 });

    // a probe arrives live
    act(() =>
      h.fake.emit({ type: 'health-changed', name: 'alpha', from: 'unknown', to: 'unhealthy', score: 40, probe: { at: now, ok: false, durationMs: 2000, detail: 'timed out after 2000 ms' }, at: now }),
    );
    const health = screen.getByRole('region', { name: 'Health' });
    expect(within(health).getByText('timed out after 2000 ms')).toBeTruthy();
    expect(within(health).getByText('failed')).toBeTruthy();
  });

  it('says the run history is not available without a loader', async () => {
    await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [status('alpha')], handlers });
    expect(within(screen.getByRole('region', { name: 'Recent runs' })).getByText('The run history is not available in this window.')).toBeTruthy();
  });
});
