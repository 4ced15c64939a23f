// @vitest-environment jsdom
// The agent editor against a fake bridge: validation in the API's words, the JSON view, saving,
// the host's refusals, editing, removing, and the dialog's keyboard behaviour.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDefinitionSchema } from '../../../../shared/agent.js';
import { BridgeError } from '../../../../shared/bridge.js';
import { formatIssues } from '../../../../shared/issues.js';
import { AgentEditor } from '../../../../renderer/components/editor/AgentEditor.js';
import { TrayStoreProvider, useTrayActions } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore, type TrayStore } from '../../../../renderer/store/store.js';
import type { EditorState } from '../../../../renderer/store/types.js';
import { fakeBridge, running, status, type Handlers } from '../../helpers/fakes.js';

afterEach(cleanup);

/** A button that opens the editor, as the rest of the window would. */
function Opener({ editor }: { editor: EditorState }) {
  const actions = useTrayActions();
  return (
    <button type="button" onClick={() => actions.openEditor(editor)}>
      Open editor
    </button>
  );
}

function setup(handlers: Handlers = {}, editor: EditorState = { mode: 'create', name: null, template: null }) {
  const fake = fakeBridge(handlers);
  const store: TrayStore = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  const user = userEvent.setup();
  render(
    <TrayStoreProvider store={store}>
      <Opener editor={editor} />
      <AgentEditor />
    </TrayStoreProvider>,
  );
  return { fake, store, user, open: () => user.click(screen.getByRole('button', { name: 'Open editor' })) };
}

/** The message element a field's aria-describedby names, or null. */
function messageOf(field: HTMLElement): string | null {
  const ids = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  const box = ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('inline-error'));
  return box ? box.textContent : null;
}

const calls = (fake: ReturnType<typeof fakeBridge>, name: string) => fake.calls.filter((c) => c.name === name);

describe('AgentEditor', () => {
  it('renders nothing while the editor is closed', () => {
    setup();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a bad name in the same words as the API, after the field is left, and does not send it', async () => {
    const { fake, user, open } = setup();
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    const name = within(dialog).getByLabelText('Name');
    expect(document.activeElement).toBe(name);

    await user.type(name, 'bad name');
    expect(messageOf(name)).toBeNull(); // not while the person is still typing the first time
    await user.type(within(dialog).getByLabelText('Command'), 'python3'); // leaving Name marks it touched

    const result = AgentDefinitionSchema.safeParse({ name: 'bad name', command: 'python3' });
    expect(result.success).toBe(false);
    const expected = formatIssues(result.error!).find((l) => l.startsWith('name:'));
    expect(messageOf(name)).toBe(expected);
    expect(messageOf(name)).toBe('name: "bad name" has characters other than letters, digits, "-", "_" and "."; the name becomes a file name, so use only those');
    expect(name.getAttribute('aria-invalid')).toBe('true');

    // it follows the typing from then on
    await user.clear(name);
    await user.type(name, 'good-name');
    expect(messageOf(name)).toBeNull();
    await user.clear(name);
    await user.type(name, 'a/b');
    expect(messageOf(name)).toContain('"a/b" has characters other than');

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(calls(fake, 'createAgent')).toHaveLength(0);
    expect(document.activeElement).toBe(name); // the first field with a problem
  });

  it('shows every problem on Save, each under its field', async () => {
    const { fake, user, open } = setup();
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    await user.type(within(dialog).getByLabelText('Port'), '70000');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(messageOf(within(dialog).getByLabelText('Name'))).toBe('name: the name is empty; give the agent a name such as "researcher"');
    expect(messageOf(within(dialog).getByLabelText('Command'))).toBe('command: command is empty; name the program to run, e.g. "python3"');
    const port = formatIssues(AgentDefinitionSchema.safeParse({ name: 'a', command: 'b', port: 70000 }).error!);
    expect(messageOf(within(dialog).getByLabelText('Port'))).toBe(port[0]);
    expect(calls(fake, 'createAgent')).toHaveLength(0);
  });

  it('keeps every value across the form and the JSON view, and shows a JSON parse error inline', async () => {
    const { user, open } = setup();
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    await user.type(within(dialog).getByLabelText('Name'), 'worker');
    await user.type(within(dialog).getByLabelText('Command'), 'node');
    await user.type(within(dialog).getByLabelText('Arguments'), 'server.js{Enter}--port{Enter}8080');
    await user.click(within(dialog).getByRole('button', { name: 'Add variable' }));
    await user.type(within(dialog).getByLabelText('Name of variable 1'), 'MODE');
    await user.type(within(dialog).getByLabelText('Value of MODE'), 'fast');
    await user.type(within(dialog).getByLabelText('Port'), '8080');
    await user.click(within(dialog).getByLabelText('Start when Agent Tray starts'));
    await user.selectOptions(within(dialog).getByLabelText('Restart policy'), 'always');
    await user.type(within(dialog).getByLabelText('Max restarts'), '3');
    await user.type(within(dialog).getByLabelText('Health check URL'), 'http://127.0.0.1:8080/health');

    await user.click(within(dialog).getByRole('tab', { name: 'JSON' }));
    const json = within(dialog).getByLabelText('Definition (JSON)') as HTMLTextAreaElement;
    expect(JSON.parse(json.value)).toEqual({
      name: 'worker',
      command: 'node',
      args: ['server.js', '--port', '8080'],
      env: { MODE: 'fast' },
      port: 8080,
      autostart: true,
      restart: { policy: 'always', maxRestarts: 3 },
      health: { http: { url: 'http://127.0.0.1:8080/health' } },
    });

    // fields the form does not show survive a round trip through it
    const edited = { ...JSON.parse(json.value), port: 9090, priority: 'high', restart: { policy: 'always', maxRestarts: 3, windowMs: 30000 } };
    await user.clear(json);
    await user.click(json);
    await user.paste(JSON.stringify(edited));
    await user.click(within(dialog).getByRole('tab', { name: 'Form' }));
    expect((within(dialog).getByLabelText('Port') as HTMLInputElement).value).toBe('9090');
    expect((within(dialog).getByLabelText('Arguments') as HTMLTextAreaElement).value).toBe('server.js\n--port\n8080');
    await user.click(within(dialog).getByRole('tab', { name: 'JSON' }));
    expect(JSON.parse((within(dialog).getByLabelText('Definition (JSON)') as HTMLTextAreaElement).value)).toEqual(edited);

    // invalid JSON: the parse error shows and the view stays
    const again = within(dialog).getByLabelText('Definition (JSON)') as HTMLTextAreaElement;
    await user.clear(again);
    await user.click(again);
    await user.paste('{"name": "worker",');
    await user.click(within(dialog).getByRole('tab', { name: 'Form' }));
    expect(within(dialog).getByRole('tab', { name: 'JSON' }).getAttribute('aria-selected')).toBe('true');
    expect(messageOf(again)).toMatch(/^Not valid JSON at line 1, column 19: /);
  });

  it('saves a new agent with createAgent, closes, and shows the agent', async () => {
    const { fake, store, user, open } = setup({ createAgent: (input) => status((input as { definition: { name: string } }).definition.name) });
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    await user.type(within(dialog).getByLabelText('Name'), 'web');
    await user.type(within(dialog).getByLabelText('Command'), 'python3');
    await user.type(within(dialog).getByLabelText('Arguments'), '-m{Enter}http.server');
    await user.type(within(dialog).getByLabelText('Port'), '8000');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(calls(fake, 'createAgent').map((c) => c.input)).toEqual([{ definition: { name: 'web', command: 'python3', args: ['-m', 'http.server'], port: 8000 } }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().ui.view).toBe('agent');
    expect(store.getState().ui.selected).toBe('web');
  });

  it('shows the host refusal inline with its hint, and keeps the dialog and its values', async () => {
    const { user, open } = setup({
      createAgent: () => {
        throw new BridgeError({ code: 'agent-exists', message: 'An agent named "alpha" already exists', hint: 'Choose another name, or update the existing agent' });
      },
    });
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    await user.type(within(dialog).getByLabelText('Name'), 'alpha');
    await user.type(within(dialog).getByLabelText('Command'), 'sleep');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toBe('An agent named "alpha" already exists' + 'Choose another name, or update the existing agent');
    expect(alert.querySelector('.hint')?.textContent).toBe('Choose another name, or update the existing agent');
    expect(screen.getByRole('dialog', { name: 'Add agent' })).toBe(dialog);
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('alpha');
    expect((within(dialog).getByLabelText('Command') as HTMLInputElement).value).toBe('sleep');
  });

  it('loads the saved definition to edit it, and saves it with updateAgent', async () => {
    const saved = { name: 'alpha', command: 'node', args: ['a.js'], env: { OPENAI_API_KEY: 'sk-1', MODE: 'x' }, port: 3000, stop: { signal: 'SIGINT' as const } };
    const { fake, store, user, open } = setup(
      { getDefinition: () => saved, updateAgent: (input) => status((input as { definition: { name: string } }).definition.name) },
      { mode: 'edit', name: 'alpha', template: null },
    );
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Edit alpha' });
    const name = (await within(dialog).findByLabelText('Name')) as HTMLInputElement;
    expect(calls(fake, 'getDefinition').map((c) => c.input)).toContainEqual({ name: 'alpha' });
    expect(name.value).toBe('alpha');
    expect(document.activeElement).toBe(name);
    expect((within(dialog).getByLabelText('Port') as HTMLInputElement).value).toBe('3000');
    // a secret-looking variable is typed into a password field
    expect((within(dialog).getByLabelText('Value of OPENAI_API_KEY') as HTMLInputElement).type).toBe('password');
    expect((within(dialog).getByLabelText('Value of MODE') as HTMLInputElement).type).toBe('text');
    await user.click(within(dialog).getByRole('button', { name: 'Show OPENAI_API_KEY' }));
    expect((within(dialog).getByLabelText('Value of OPENAI_API_KEY') as HTMLInputElement).type).toBe('text');

    await user.clear(within(dialog).getByLabelText('Port'));
    await user.type(within(dialog).getByLabelText('Port'), '3001');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(calls(fake, 'updateAgent').map((c) => c.input)).toEqual([{ name: 'alpha', definition: { ...saved, port: 3001 } }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().ui.selected).toBe('alpha');
  });

  it('shows why the definition could not be loaded', async () => {
    const { open } = setup(
      {
        getDefinition: () => {
          throw new BridgeError({ code: 'not-found', message: 'No agent named "ghost"', hint: 'Known agents: alpha' });
        },
      },
      { mode: 'edit', name: 'ghost', template: null },
    );
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Edit ghost' });
    expect((await within(dialog).findByRole('alert')).textContent).toBe('No agent named "ghost"Known agents: alpha');
    expect(within(dialog).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('starts a duplicate from the template under a new name', async () => {
    const { user, open } = setup({}, { mode: 'duplicate', name: 'alpha', template: { name: 'alpha', command: 'node', args: ['a.js'] } });
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Duplicate alpha' });
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('alpha-copy');
    await user.click(within(dialog).getByRole('tab', { name: 'JSON' }));
    expect(JSON.parse((within(dialog).getByLabelText('Definition (JSON)') as HTMLTextAreaElement).value)).toEqual({ name: 'alpha-copy', command: 'node', args: ['a.js'] });
  });

  it('asks before removing, and offers to stop a running agent first', async () => {
    const { fake, store, user, open } = setup(
      { getDefinition: () => ({ name: 'alpha', command: 'node', args: [], env: {} }), removeAgent: () => ({ removed: 'alpha', stopped: null }) },
      { mode: 'edit', name: 'alpha', template: null },
    );
    act(() => fake.emit({ type: 'snapshot', at: 0, agents: [running('alpha', 0)] }));
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Edit alpha' });
    await within(dialog).findByLabelText('Name');

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(calls(fake, 'removeAgent')).toHaveLength(0);
    const question = within(dialog).getByRole('group', { name: /alpha is running/ });
    expect(within(question).queryByRole('button', { name: 'Remove' })).toBeNull();
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Keep agent' }));

    // Escape answers the question, not the dialog
    await user.keyboard('{Escape}');
    expect(screen.getByRole('dialog', { name: 'Edit alpha' })).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Remove' }));

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await user.click(within(dialog).getByRole('button', { name: 'Stop and remove' }));
    expect(calls(fake, 'removeAgent').map((c) => c.input)).toEqual([{ name: 'alpha', stop: true }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().ui.view).toBe('agents');
  });

  it('removes a stopped agent without stopping it, and shows a refusal in the question', async () => {
    let refuse = true;
    const { fake, user, open } = setup(
      {
        getDefinition: () => ({ name: 'alpha', command: 'node', args: [], env: {} }),
        removeAgent: () => {
          if (refuse) throw new BridgeError({ code: 'conflict', message: 'Agent "alpha" is running', hint: 'Stop it first, or pass stop=true' });
          return { removed: 'alpha', stopped: null };
        },
      },
      { mode: 'edit', name: 'alpha', template: null },
    );
    act(() => fake.emit({ type: 'snapshot', at: 0, agents: [status('alpha')] }));
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Edit alpha' });
    await within(dialog).findByLabelText('Name');
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    const question = within(dialog).getByRole('group', { name: /Remove alpha/ });
    await user.click(within(question).getByRole('button', { name: 'Remove' }));
    expect(calls(fake, 'removeAgent').map((c) => c.input)).toEqual([{ name: 'alpha', stop: false }]);
    expect(within(question).getByRole('alert').textContent).toBe('Agent "alpha" is running' + 'Stop it first, or pass stop=true');
    expect(screen.getByRole('dialog', { name: 'Edit alpha' })).toBeTruthy();

    refuse = false;
    await user.click(within(question).getByRole('button', { name: 'Remove' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closes on Escape and gives the focus back; Tab stays inside the dialog', async () => {
    const { user, open } = setup();
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    // before the first field is the selected tab; before that, the focus wraps to the last control
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(within(dialog).getByRole('tab', { name: 'Form' }));
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Save' }));
    await user.tab();
    expect(document.activeElement).toBe(within(dialog).getByRole('tab', { name: 'Form' }));
    await user.click(within(dialog).getByLabelText('Name'));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open editor' }));
  });

  it('Cancel closes without saving', async () => {
    const { fake, user, open } = setup();
    await open();
    await user.type(screen.getByLabelText('Name'), 'x');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls(fake, 'createAgent')).toHaveLength(0);
  });
});
