// @vitest-environment jsdom
// The editor's "Secret" box on an environment row: a ticked row's value goes to the host's secret
// store (setSecret) and never into the definition, whose secretEnv keeps only the name; a stored
// secret reads "stored" and is never shown; the JSON tab never holds a secret's value.
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentEditor } from '../../../../renderer/components/editor/AgentEditor.js';
import { TrayStoreProvider, useTrayActions } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import type { EditorState } from '../../../../renderer/store/types.js';
import { BridgeError } from '../../../../shared/bridge.js';
import { fakeBridge, status, type Handlers } from '../../helpers/fakes.js';

afterEach(cleanup);

function Opener({ editor }: { editor: EditorState }) {
  const actions = useTrayActions();
  return (
    <button type="button" onClick={() => actions.openEditor(editor)}>
      Open editor
    </button>
  );
}

function setup(handlers: Handlers, editor: EditorState) {
  const fake = fakeBridge(handlers);
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  const user = userEvent.setup();
  render(
    <TrayStoreProvider store={store}>
      <Opener editor={editor} />
      <AgentEditor />
    </TrayStoreProvider>,
  );
  return { fake, user, open: () => user.click(screen.getByRole('button', { name: 'Open editor' })) };
}

const store = { kind: 'file' as const, file: '/data/secrets.json', note: null };
const answers: Handlers = {
  setSecret: (input) => ({ key: (input as { key: string }).key, secretEnv: [(input as { key: string }).key], store }),
  removeSecret: (input) => ({ key: (input as { key: string }).key, removed: true, secretEnv: [] }),
  updateAgent: () => status('alpha'),
  createAgent: () => status('beta'),
};

describe('the editor\'s secret box', () => {
  it('ticking Secret on a variable stores its value through setSecret before the save, and saves only its name (secretEnv)', async () => {
    const { fake, user, open } = setup({ ...answers, getDefinition: () => ({ name: 'alpha', command: 'node', args: [], env: { OPENAI_API_KEY: 'sk-typed-1234', MODE: 'dev' } }) }, { mode: 'edit', name: 'alpha', template: null });
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Edit alpha' });
    await within(dialog).findByLabelText('Name');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Keep OPENAI_API_KEY secret' }));
    expect((within(dialog).getByLabelText('Value of OPENAI_API_KEY') as HTMLInputElement).type).toBe('password');

    // the JSON tab shows the name only
    await user.click(within(dialog).getByRole('tab', { name: 'JSON' }));
    const text = (within(dialog).getByLabelText('Definition (JSON)') as HTMLTextAreaElement).value;
    expect(JSON.parse(text)).toEqual({ name: 'alpha', command: 'node', args: [], env: { MODE: 'dev' }, secretEnv: ['OPENAI_API_KEY'] });
    expect(text).not.toContain('sk-typed-1234');
    await user.click(within(dialog).getByRole('tab', { name: 'Form' }));
    expect((within(dialog).getByLabelText('Value of OPENAI_API_KEY') as HTMLInputElement).value).toBe('sk-typed-1234'); // kept across the tabs

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    const order = fake.calls.filter((c) => c.name === 'setSecret' || c.name === 'updateAgent').map((c) => c.name);
    expect(order).toEqual(['setSecret', 'updateAgent']);
    expect(fake.calls.find((c) => c.name === 'setSecret')?.input).toEqual({ name: 'alpha', key: 'OPENAI_API_KEY', value: 'sk-typed-1234' });
    const saved = fake.calls.find((c) => c.name === 'updateAgent')?.input as { definition: object };
    expect(saved.definition).toEqual({ name: 'alpha', command: 'node', args: [], env: { MODE: 'dev' }, secretEnv: ['OPENAI_API_KEY'] });
    expect(JSON.stringify(saved)).not.toContain('sk-typed-1234');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a stored secret shows as stored, never its value; left empty it is kept, unticked without a value it asks for one, deleted it is removed after the save', async () => {
    const { fake, user, open } = setup({ ...answers, getDefinition: () => ({ name: 'alpha', command: 'node', args: [], env: {}, secretEnv: ['DB_PASSWORD', 'API_TOKEN'] }) }, { mode: 'edit', name: 'alpha', template: null });
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Edit alpha' });
    await within(dialog).findByLabelText('Name');
    const value = within(dialog).getByLabelText('Value of DB_PASSWORD') as HTMLInputElement;
    expect(value.value).toBe('');
    expect(value.type).toBe('password');
    expect(value.placeholder).toMatch(/stored; type to replace/);
    expect((within(dialog).getByRole('checkbox', { name: 'Keep DB_PASSWORD secret' }) as HTMLInputElement).checked).toBe(true);

    await user.click(within(dialog).getByRole('checkbox', { name: 'Keep DB_PASSWORD secret' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText(/DB_PASSWORD was a secret, and its stored value cannot be shown here/)).toBeTruthy();
    expect(fake.calls.filter((c) => c.name === 'updateAgent')).toHaveLength(0);

    await user.click(within(dialog).getByRole('checkbox', { name: 'Keep DB_PASSWORD secret' }));
    await user.click(within(dialog).getByRole('button', { name: 'Delete API_TOKEN' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(fake.calls.filter((c) => c.name === 'setSecret')).toHaveLength(0); // nothing typed: the stored value stays
    expect((fake.calls.find((c) => c.name === 'updateAgent')?.input as { definition: object }).definition).toEqual({ name: 'alpha', command: 'node', args: [], env: {}, secretEnv: ['DB_PASSWORD'] });
    expect(fake.calls.filter((c) => c.name === 'removeSecret').map((c) => c.input)).toEqual([{ name: 'alpha', key: 'API_TOKEN' }]);
  });

  it('a new agent is created first, then its secret stored; a refused secret is shown in the dialog', async () => {
    const refused = new BridgeError({ code: 'sandbox-refused', message: 'Agent "beta": the secret store sets NODE_OPTIONS, which makes a program load code it was not asked to run (sandbox rule sandbox.allowedEnv)' });
    const { fake, user, open } = setup({ ...answers, setSecret: () => { throw refused; } }, { mode: 'create', name: null, template: null });
    await open();
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    await user.type(within(dialog).getByLabelText('Name'), 'beta');
    await user.type(within(dialog).getByLabelText('Command'), 'node');
    await user.click(within(dialog).getByRole('button', { name: 'Add variable' }));
    await user.type(within(dialog).getByLabelText('Name of variable 1'), 'NODE_OPTIONS');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Keep NODE_OPTIONS secret' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText(/NODE_OPTIONS is marked secret but has no value/)).toBeTruthy();
    await user.type(within(dialog).getByLabelText('Value of NODE_OPTIONS'), '--require x');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(fake.calls.filter((c) => c.name === 'createAgent' || c.name === 'setSecret').map((c) => c.name)).toEqual(['createAgent', 'setSecret']);
    expect((fake.calls.find((c) => c.name === 'createAgent')?.input as { definition: object }).definition).toEqual({ name: 'beta', command: 'node', secretEnv: ['NODE_OPTIONS'] });
    expect(within(dialog).getByText(/the secret store sets NODE_OPTIONS/)).toBeTruthy();
  });
});
