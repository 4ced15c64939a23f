// @vitest-environment jsdom
// The editor's stack fields: dependencies picked from the other agents with a condition, the ready
// line tried live on the agent's recent output, groups, a cycle named before saving, and the form
// and the JSON view agreeing on all three.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentEditor } from '../../../../renderer/components/editor/AgentEditor.js';
import { definitionFromForm, formFromDefinition, validateDefinition } from '../../../../renderer/components/editor/definition-form.js';
import { testReadyLine } from '../../../../renderer/components/editor/ready-line.js';
import { TrayStoreProvider, useTrayActions } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import type { EditorState } from '../../../../renderer/store/types.js';
import type { AgentStatus } from '../../../../shared/status.js';
import { fakeBridge, running, status, type Handlers } from '../../helpers/fakes.js';

afterEach(cleanup);

function Opener({ editor }: { editor: EditorState }) {
  const actions = useTrayActions();
  return (
    <button type="button" onClick={() => actions.openEditor(editor)}>
      Open editor
    </button>
  );
}

async function setup(agents: AgentStatus[], handlers: Handlers = {}, editor: EditorState = { mode: 'create', name: null, template: { name: 'app', command: 'node' } }) {
  const fake = fakeBridge({ agentLogs: () => ({ lines: [] }), ...handlers });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  const user = userEvent.setup();
  render(
    <TrayStoreProvider store={store}>
      <Opener editor={editor} />
      <AgentEditor />
    </TrayStoreProvider>,
  );
  act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents }));
  await user.click(screen.getByRole('button', { name: 'Open editor' }));
  return { fake, store, user, dialog: await screen.findByRole('dialog') };
}

const saved = (fake: ReturnType<typeof fakeBridge>, name: 'createAgent' | 'updateAgent') => fake.calls.filter((c) => c.name === name).map((c) => (c.input as { definition: unknown }).definition);

describe('stack fields', () => {
  it('saves dependencies picked from the other agents, a ready line and groups', async () => {
    const { fake, user, dialog } = await setup([running('model', 1), status('setup')], { createAgent: () => status('app') });
    const deps = within(dialog).getByRole('group', { name: 'Depends on' });
    await user.click(within(deps).getByRole('button', { name: 'Add dependency' }));
    const agent1 = within(deps).getByRole('combobox', { name: 'Agent of dependency 1' });
    expect(within(agent1).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose an agent…', 'model', 'setup']);
    expect((agent1 as HTMLSelectElement).value).toBe('model');
    await user.selectOptions(within(deps).getByRole('combobox', { name: 'Condition on model' }), 'healthy');
    await user.click(within(deps).getByRole('button', { name: 'Add dependency' }));
    expect((within(deps).getByRole('combobox', { name: 'Agent of dependency 2' }) as HTMLSelectElement).value).toBe('setup');
    await user.selectOptions(within(deps).getByRole('combobox', { name: 'Condition on setup' }), 'completed');

    await user.type(within(dialog).getByLabelText('Ready line'), 'Listening on');
    await user.type(within(dialog).getByLabelText('Groups'), 'research, local research');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(saved(fake, 'createAgent')).toEqual([{ name: 'app', command: 'node', dependsOn: { model: 'healthy', setup: 'completed' }, readyLine: 'Listening on', groups: ['research', 'local'] }]);
  });

  it('deletes a dependency, and an unchosen agent is named before anything is sent', async () => {
    const { fake, user, dialog } = await setup([running('model', 1)], { createAgent: () => status('app') });
    const deps = within(dialog).getByRole('group', { name: 'Depends on' });
    await user.click(within(deps).getByRole('button', { name: 'Add dependency' }));
    await user.selectOptions(within(deps).getByRole('combobox', { name: 'Agent of dependency 1' }), '');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(deps.textContent).toContain('dependency 1 names no agent; choose one or delete the row');
    expect(saved(fake, 'createAgent')).toEqual([]);
    await user.click(within(deps).getByRole('button', { name: 'Delete dependency on dependency 1' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(saved(fake, 'createAgent')).toEqual([{ name: 'app', command: 'node' }]);
  });

  it('names the cycle a dependency would close and does not send it', async () => {
    const agents = [running('model', 1), status('server', { dependsOn: { model: 'healthy' } })];
    const { fake, user, dialog } = await setup(agents, { getDefinition: () => ({ name: 'model', command: 'ollama', args: [], env: {} }), updateAgent: () => running('model', 1) }, { mode: 'edit', name: 'model', template: null });
    const deps = await within(dialog).findByRole('group', { name: 'Depends on' });
    await user.click(within(deps).getByRole('button', { name: 'Add dependency' }));
    await user.selectOptions(within(deps).getByRole('combobox', { name: 'Agent of dependency 1' }), 'server');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(deps.textContent).toContain('these dependencies make a cycle: model → server → model; remove one of them');
    expect(document.activeElement).toBe(within(deps).getByRole('combobox', { name: 'Agent of dependency 1' }));
    expect(saved(fake, 'updateAgent')).toEqual([]);
  });

  it("tries the ready line on the agent's recent output as it is typed", async () => {
    const now = Date.now();
    const lines = [
      { ts: new Date(now - 3000).toISOString(), stream: 'stderr' as const, text: 'loading weights' },
      { ts: new Date(now - 2000).toISOString(), stream: 'stdout' as const, text: 'Listening on :8080' },
      { ts: new Date(now - 1000).toISOString(), stream: 'stdout' as const, text: 'Listening on :8081' },
    ];
    const { fake, user, dialog } = await setup([running('api', 1)], { getDefinition: () => ({ name: 'api', command: 'node', args: [], env: {} }), agentLogs: () => ({ lines }) }, { mode: 'edit', name: 'api', template: null });
    const field = await within(dialog).findByLabelText('Ready line');
    expect(fake.calls.find((c) => c.name === 'agentLogs')?.input).toEqual({ name: 'api', lines: 500, stream: 'all' });
    await user.type(field, 'Listening on');
    const result = within(dialog).getByRole('status');
    expect(result.textContent).toBe('Matches 2 of the last 3 lines of api; the first: Listening on :8080');
    expect(field.getAttribute('aria-describedby')).toContain(result.id);
    await user.clear(field);
    await user.type(field, 'model loaded');
    expect(within(dialog).getByRole('status').textContent).toBe('No match in the last 3 lines of api.');
    // a bad regular expression gets the schema's words under the field, once it was left
    await user.clear(field);
    await user.type(field, 'ready(');
    await user.tab();
    expect(dialog.textContent).toContain('readyLine: not a valid regular expression');
  });
});

describe('the stack fields as data', () => {
  let n = 0;
  const ids = () => ++n;

  it('go from a definition to the form and back unchanged', () => {
    const def = { name: 'app', command: 'node', dependsOn: { model: 'healthy', setup: 'completed' }, readyLine: 'ready', groups: ['a', 'b'] };
    const fill = formFromDefinition(def, ids);
    expect(fill.ok).toBe(true);
    if (!fill.ok) return;
    expect(fill.values.dependsOn.map((r) => [r.agent, r.condition])).toEqual([['model', 'healthy'], ['setup', 'completed']]);
    expect(fill.values.groups).toBe('a, b');
    expect(definitionFromForm(fill.values, def)).toEqual(def);
    expect(definitionFromForm({ ...fill.values, dependsOn: [], readyLine: '', groups: ' ' }, def)).toEqual({ name: 'app', command: 'node' });
  });

  it('leave to the JSON view what the form cannot show', () => {
    const fill = formFromDefinition({ name: 'a', command: 'b', dependsOn: { m: 'soon' }, groups: ['two words'] }, ids);
    expect(fill.ok).toBe(false);
    if (!fill.ok) expect(fill.problems).toEqual(['dependsOn.m is not one of started, healthy, ready, completed, so the form cannot show it; correct it in the JSON first', "groups[0] is empty or has spaces or commas, which the form's list cannot show; edit it in the JSON"]);
  });

  it('place the schema issues under their fields', () => {
    const check = validateDefinition({ name: 'a', command: 'b', dependsOn: { a: 'started' }, readyLine: '(', groups: ['ok', 'no/slash'] });
    expect(check.ok).toBe(false);
    if (!check.ok) expect([...new Set(check.issues.map((i) => i.field))].sort()).toEqual(['dependsOn', 'groups', 'readyLine']);
  });

  it('try a ready line on lines', () => {
    expect(testReadyLine('', ['x'])).toEqual({ kind: 'blank' });
    expect(testReadyLine('(', ['x']).kind).toBe('invalid');
    expect(testReadyLine('x', [])).toEqual({ kind: 'no-lines' });
    expect(testReadyLine('^up', ['going', 'up at 1', 'up at 2'])).toEqual({ kind: 'match', line: 'up at 1', matches: 2, scanned: 3 });
    expect(testReadyLine('down', ['up'])).toEqual({ kind: 'no-match', scanned: 1 });
  });
});
