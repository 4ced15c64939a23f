// @vitest-environment jsdom
// Stacks in the window: the waiting badge and row say what they wait for (yellow), the list grouped
// by group with Start group / Stop group, the stack graph from the host, an agent's dependencies and
// dependents with each condition's truth, and the choice to stop an agent's dependents with it.
import { act, cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentsList } from '../../../../renderer/components/agents/AgentsList.js';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import { StatusBar } from '../../../../renderer/components/status-bar/StatusBar.js';
import { BridgeError } from '../../../../shared/bridge.js';
import type { AgentStatus } from '../../../../shared/status.js';
import { running, status } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

afterEach(cleanup);

const t0 = Date.now() - 60_000;
const model = running('model', t0, { health: 'healthy', groups: ['research'] });
const setupTask = status('setup');
const server = status('server', {
  state: 'waiting',
  since: t0 + 1000,
  dependsOn: { model: 'healthy', setup: 'completed' },
  waitingFor: [
    { agent: 'model', condition: 'healthy' },
    { agent: 'setup', condition: 'completed' },
  ],
  groups: ['research'],
});
const stack: AgentStatus[] = [model, setupTask, server];

const stopped = (name: string) => ({ ...status(name), stop: { name, exitCode: 0, signal: null, durationMs: 1, outcome: 'graceful' as const, pids: [1] } });

describe('a waiting agent', () => {
  it('has a yellow badge that says what it still waits for', async () => {
    await renderWithStore(<StatusBar />, { agents: stack });
    const badge = screen.getByRole('button', { name: 'server: waiting for setup (completed)' });
    expect(badge.className).toContain('badge--yellow');
    expect(badge.querySelector('.badge__waiting')?.getAttribute('data-text')).toBe('waiting for setup (completed)');
    expect(badge.getAttribute('title')).toMatch(/^waiting for setup \(completed\) · pid/);
    expect(screen.getByText('1 of 3 running, 1 waiting')).toBeTruthy();
  });

  it('has a row whose state says what it waits for, and a click on Stop cancels the wait', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<AgentsList />, { agents: stack, handlers: { stopAgent: () => stopped('server') } });
    const row = screen.getByRole('row', { name: 'server, waiting for setup (completed)' });
    const state = within(row).getByText('waiting for setup (completed)');
    expect(state.className).toBe('state state--yellow');
    await user.click(within(row).getByRole('button', { name: 'Stop server' }));
    expect(h.fake.calls.find((c) => c.name === 'stopAgent')?.input).toEqual({ name: 'server' });
  });
});

describe('the list by group', () => {
  it('shows each group with its count and starts or stops it through the host', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<AgentsList />, {
      agents: stack,
      handlers: {
        startGroup: () => ({ results: [{ name: 'server', ok: false, error: { code: 'errored', message: 'model crashed: CUDA out of memory' } }] }),
        stopGroup: () => {
          throw new BridgeError({ code: 'not-found', message: 'There is no group named "research"', hint: 'Groups come from agents.json' });
        },
      },
    });
    await user.click(screen.getByRole('button', { name: 'By group' }));
    expect(screen.getByRole('button', { name: 'By group' }).getAttribute('aria-pressed')).toBe('true');
    const header = screen.getByRole('columnheader', { name: /^research/ });
    expect(header.textContent).toContain('1 of 2 running');
    expect(screen.getByRole('columnheader', { name: /^In no group/ })).toBeTruthy();
    const rows = screen.getAllByRole('row').map((r) => r.getAttribute('aria-label')).filter(Boolean);
    expect(rows).toEqual(['model, running', 'server, waiting for setup (completed)', 'setup, stopped']);

    await user.click(within(header).getByRole('button', { name: 'Start group research' }));
    expect(h.fake.calls.find((c) => c.name === 'startGroup')?.input).toEqual({ group: 'research' });
    // a member that failed shows its reason on its own row, and the group's summary names it
    expect(within(screen.getByRole('row', { name: /^server/ }).nextElementSibling as HTMLElement).getByText('model crashed: CUDA out of memory')).toBeTruthy();
    expect(within(screen.getByRole('columnheader', { name: /^research/ })).getByRole('alert').textContent).toBe('Start group research: 1 of 1 failed — server: model crashed: CUDA out of memory×');

    await user.click(within(header).getByRole('button', { name: 'Stop group research' }));
    expect(h.fake.calls.find((c) => c.name === 'stopGroup')?.input).toEqual({ group: 'research' });
    expect(within(screen.getByRole('columnheader', { name: /^research/ })).getAllByRole('alert').map((a) => a.textContent)).toContainEqual(expect.stringContaining('There is no group named "research"'));
  });
});

describe('the stack graph', () => {
  it('draws the graph the host sends, with live states, and a box opens its agent', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<AgentsList />, {
      agents: stack,
      handlers: {
        getGraph: () => ({
          nodes: stack.map((s) => ({ name: s.name, state: s.state, groups: s.groups ?? [], ready: false, health: s.health })),
          edges: [
            { from: 'server', to: 'model', condition: 'healthy' as const, met: false },
            { from: 'server', to: 'setup', condition: 'completed' as const, met: false },
          ],
        }),
      },
    });
    await user.click(screen.getByRole('button', { name: 'Graph' }));
    expect(h.fake.calls.some((c) => c.name === 'getGraph')).toBe(true);
    const drawing = await screen.findByRole('group', { name: 'Stack graph' });
    expect(within(drawing).getByRole('button', { name: 'model: running' })).toBeTruthy();
    expect(within(drawing).getByRole('button', { name: 'server: waiting' })).toBeTruthy();
    // the truth of each condition comes from the statuses: model is healthy now
    const facts = screen.getByRole('list', { name: 'Stack graph: dependencies' });
    expect(within(facts).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['server needs model healthy: met', 'server needs setup completed: not yet']);
    expect(drawing.querySelectorAll('.stack-edge--met').length).toBe(1);
    expect(drawing.querySelectorAll('.stack-edge--unmet').length).toBe(1);
    // dependencies stand left of their dependents
    const x = (name: string) => Number(/translate\(([\d.]+)/.exec(within(drawing).getByRole('button', { name: new RegExp(`^${name}:`) }).getAttribute('transform') ?? '')?.[1]);
    expect(x('model')).toBeLessThan(x('server'));

    await user.click(within(drawing).getByRole('button', { name: 'model: running' }));
    expect(h.store.getState().ui).toMatchObject({ view: 'agent', selected: 'model' });
  });
});

describe("an agent's page", () => {
  it('shows what it depends on and what depends on it, each condition with its truth now', async () => {
    const user = userEvent.setup();
    const worker = status('worker', { dependsOn: { server: 'ready' } });
    const h = await renderWithStore(<AgentDetail name="server" tab="overview" />, { agents: [...stack, worker], handlers: { getDefinition: () => ({ name: 'server', command: 'node', args: [], env: {} }) } });
    expect(screen.getByText('waiting for setup (completed)', { selector: '.detail-waiting' })).toBeTruthy();
    expect(screen.getByText('research', { selector: '.detail-tag' })).toBeTruthy();
    const section = screen.getByRole('region', { name: 'Stack' });
    const needs = within(section).getByRole('list', { name: 'What server depends on' });
    expect(within(needs).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['modelhealthyrunningmet', 'setupcompletedstoppednot yet']);
    const neededBy = within(section).getByRole('list', { name: 'What depends on server' });
    expect(within(neededBy).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['workerneeds it readystoppednot yet']);
    expect(within(section).getByRole('group', { name: 'Stack of server' })).toBeTruthy();

    // the truth follows the statuses: setup completes
    act(() => h.fake.emit({ type: 'state', name: 'setup', from: 'running', to: 'stopped', reason: { kind: 'exited', message: 'exited 0', exitCode: 0 }, at: Date.now(), status: status('setup', { exitCode: 0, since: Date.now() }) }));
    expect(within(needs).getAllByRole('listitem')[1]?.textContent).toBe('setupcompletedstoppedmet');

    await user.click(within(needs).getByRole('button', { name: 'model' }));
    expect(h.store.getState().ui).toMatchObject({ view: 'agent', selected: 'model' });
  });

  it('shows no stack section for an agent in no stack and no group', async () => {
    await renderWithStore(<AgentDetail name="solo" tab="overview" />, { agents: [running('solo', t0, { ready: true })], handlers: { getDefinition: () => ({ name: 'solo', command: 'node', args: [], env: {} }) } });
    expect(screen.queryByRole('region', { name: 'Stack' })).toBeNull();
  });

  it('asks whether to stop the dependents that run too, and stops them with it or not', async () => {
    const user = userEvent.setup();
    const api = running('api', t0, { dependsOn: { model: 'healthy' } });
    const h = await renderWithStore(<AgentDetail name="model" tab="overview" />, {
      agents: [model, api],
      handlers: { getDefinition: () => ({ name: 'model', command: 'ollama', args: [], env: {} }), stopAgent: (i) => stopped((i as { name: string }).name) },
    });
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    const choice = screen.getByRole('group', { name: 'Stop its dependents too?' });
    expect(choice.textContent).toContain('api depends on it');
    expect(document.activeElement).toBe(within(choice).getByRole('button', { name: 'Stop with dependents' }));
    await user.click(within(choice).getByRole('button', { name: 'Stop with dependents' }));
    expect(h.fake.calls.filter((c) => c.name === 'stopAgent').map((c) => c.input)).toEqual([{ name: 'model', withDependents: true }]);

    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await user.click(screen.getByRole('button', { name: 'Stop model only' }));
    expect(h.fake.calls.filter((c) => c.name === 'stopAgent').map((c) => c.input)).toEqual([{ name: 'model', withDependents: true }, { name: 'model' }]);

    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: 'Stop its dependents too?' })).toBeNull();
    expect(h.fake.calls.filter((c) => c.name === 'stopAgent')).toHaveLength(2);
  });

  it('stops an agent without dependents at once', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<AgentDetail name="model" tab="overview" />, {
      agents: [model, status('api', { dependsOn: { model: 'healthy' } })],
      handlers: { getDefinition: () => ({ name: 'model', command: 'ollama', args: [], env: {} }), stopAgent: () => stopped('model') },
    });
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(h.fake.calls.filter((c) => c.name === 'stopAgent').map((c) => c.input)).toEqual([{ name: 'model' }]);
  });
});

describe('the store', () => {
  it('marks an agent ready on a ready event', async () => {
    const h = await renderWithStore(<StatusBar />, { agents: [running('api', t0, { ready: false })] });
    act(() => h.fake.emit({ type: 'ready', name: 'api', at: 1234, line: 'Listening on :8080' }));
    expect(h.store.getState().agents.byName.api).toMatchObject({ ready: true, readyAt: 1234 });
  });
});
