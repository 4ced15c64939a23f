// @vitest-environment jsdom
// The editor as it validates the JSON view while it is typed (line and column of a syntax error,
// schema problems with their paths, in the API's words; Save says it cannot meanwhile), and as it
// edits a running agent: changes apply from the next start (with "Restart now" after a save), and
// a rename is "Stop, rename, start".
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDefinitionSchema } from '../../../../shared/agent.js';
import { formatIssues } from '../../../../shared/issues.js';
import { AgentEditor } from '../../../../renderer/components/editor/AgentEditor.js';
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

async function setup(handlers: Handlers, editor: EditorState, agents: AgentStatus[] = []) {
  const fake = fakeBridge(handlers);
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  const user = userEvent.setup();
  render(
    <TrayStoreProvider store={store}>
      <Opener editor={editor} />
      <AgentEditor />
    </TrayStoreProvider>,
  );
  fake.emit({ type: 'snapshot', at: Date.now(), agents });
  await user.click(screen.getByRole('button', { name: 'Open editor' }));
  return { fake, store, user };
}

/** The problems the JSON box's aria-describedby names. */
function jsonProblems(box: HTMLElement): string[] {
  const ids = (box.getAttribute('aria-describedby') ?? '').split(' ');
  const el = ids.map((id) => document.getElementById(id)).find((e) => e?.classList.contains('inline-error'));
  return el ? [...el.children].map((c) => c.textContent ?? '') : [];
}

const saved = { name: 'alpha', command: 'node', args: ['a.js'], env: {} };
const calls = (fake: ReturnType<typeof fakeBridge>, name: string) => fake.calls.filter((c) => c.name === name).map((c) => c.input);

describe('the JSON view validates as it is typed', () => {
  it('shows a syntax error with its line and column while the box keeps the focus, and Save says it cannot', async () => {
    const { fake, user } = await setup({ createAgent: () => status('x') }, { mode: 'create', name: null, template: null });
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    await user.click(within(dialog).getByRole('tab', { name: 'JSON' }));
    const box = within(dialog).getByLabelText('Definition (JSON)') as HTMLTextAreaElement;
    await user.click(box);
    fireEvent.change(box, { target: { value: '{\n  "name": "web",\n  "command": "node",\n}' } });
    expect(document.activeElement).toBe(box); // never left
    expect(jsonProblems(box)).toEqual([]); // not on every key: a moment after the last one
    await waitFor(() => expect(jsonProblems(box)).toEqual(["Not valid JSON at line 3, column 20: a trailing comma (JSON allows none before '}'); remove it"]));
    const save = within(dialog).getByRole('button', { name: 'Save' });
    expect(save.getAttribute('aria-disabled')).toBe('true');
    await user.click(save);
    expect(calls(fake, 'createAgent')).toHaveLength(0);
    expect(document.activeElement).toBe(box);

    // fixed: the problem goes, Save can
    await user.clear(box);
    await user.paste('{"name": "web", "command": "node"}');
    await waitFor(() => expect(jsonProblems(box)).toEqual([]));
    expect(save.getAttribute('aria-disabled')).toBeNull();
  });

  it('shows schema problems with their paths in the words of the API and the form, and where they are', async () => {
    const { user } = await setup({}, { mode: 'create', name: null, template: null });
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    await user.click(within(dialog).getByRole('tab', { name: 'JSON' }));
    const box = within(dialog).getByLabelText('Definition (JSON)') as HTMLTextAreaElement;
    await user.clear(box);
    await user.click(box);
    const bad = { name: 'bad name', command: 'node', restart: { policy: 'sometimes' } };
    await user.paste(JSON.stringify(bad, null, 2));
    const words = formatIssues(AgentDefinitionSchema.safeParse(bad).error!);
    expect(words.map((w) => w.split(':')[0])).toEqual(['name', 'restart.policy']);
    await waitFor(() => expect(jsonProblems(box)).toEqual([`${words[0]} (line 2, column 11)`, `${words[1]} (line 5, column 15)`]));
    expect(within(dialog).getByRole('button', { name: 'Save' }).getAttribute('aria-disabled')).toBe('true');
  });
});

describe('editing a running agent', () => {
  it('says changes apply from the next start, and after Save offers Restart now', async () => {
    const { fake, store, user } = await setup(
      { getDefinition: () => saved, updateAgent: () => running('alpha', Date.now()), restartAgent: () => running('alpha', Date.now()) },
      { mode: 'edit', name: 'alpha', template: null },
      [running('alpha', Date.now() - 5000)],
    );
    const dialog = screen.getByRole('dialog', { name: 'Edit alpha' });
    const port = await within(dialog).findByLabelText('Port');
    expect(within(dialog).getByRole('note').textContent).toBe('alpha is running: changes apply from its next start.');
    await user.type(port, '3000');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(calls(fake, 'updateAgent')).toEqual([{ name: 'alpha', definition: { ...saved, port: 3000 } }]);

    // the dialog stays with the offer; Restart now restarts it and shows the agent
    expect(within(dialog).getByRole('status').textContent).toBe('Saved. alpha is still running with its previous definition: the changes apply from its next start.');
    const restart = within(dialog).getByRole('button', { name: 'Restart now' });
    expect(document.activeElement).toBe(restart);
    await user.click(restart);
    expect(calls(fake, 'restartAgent')).toEqual([{ name: 'alpha' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().ui.selected).toBe('alpha');
  });

  it('offers "Stop, rename, start" for a new name, saying that logs and history move with it', async () => {
    const { fake, store, user } = await setup(
      { getDefinition: () => saved, updateAgent: () => running('beta', Date.now()) },
      { mode: 'edit', name: 'alpha', template: null },
      [running('alpha', Date.now() - 5000)],
    );
    const dialog = screen.getByRole('dialog', { name: 'Edit alpha' });
    const name = await within(dialog).findByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'beta');
    expect(within(dialog).queryByRole('button', { name: 'Save' })).toBeNull();
    expect(within(dialog).getByRole('note').textContent).toBe('alpha is running: renaming it to beta stops it, renames it and starts it again. Its logs and run history move with it.');
    await user.click(within(dialog).getByRole('button', { name: 'Stop, rename, start' }));
    expect(calls(fake, 'updateAgent')).toEqual([{ name: 'alpha', definition: { ...saved, name: 'beta' }, restart: true }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().ui.selected).toBe('beta');
  });

  it('says nothing of the next start for a stopped agent, and closes after Save', async () => {
    const { user } = await setup({ getDefinition: () => saved, updateAgent: () => status('alpha') }, { mode: 'edit', name: 'alpha', template: null }, [status('alpha')]);
    const dialog = screen.getByRole('dialog', { name: 'Edit alpha' });
    const name = await within(dialog).findByLabelText('Name');
    expect(within(dialog).queryByRole('note')).toBeNull();
    await user.clear(name);
    await user.type(name, 'beta');
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
