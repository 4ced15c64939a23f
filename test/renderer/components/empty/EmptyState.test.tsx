// @vitest-environment jsdom
// The first-run screen: the examples are valid definitions, and each fills the editor.
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDefinitionSchema } from '../../../../shared/agent.js';
import { AgentEditor } from '../../../../renderer/components/editor/AgentEditor.js';
import { EmptyState, EXAMPLE_AGENTS } from '../../../../renderer/components/empty/EmptyState.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, status } from '../../helpers/fakes.js';

afterEach(cleanup);

function setup() {
  const fake = fakeBridge({ createAgent: (input) => status((input as { definition: { name: string } }).definition.name) });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <EmptyState />
      <AgentEditor />
    </TrayStoreProvider>,
  );
  return { fake, store, user: userEvent.setup() };
}

const value = (dialog: HTMLElement, label: string) => (within(dialog).getByLabelText(label) as HTMLInputElement).value;

describe('EmptyState', () => {
  it('has examples that the shared schema accepts', () => {
    expect(EXAMPLE_AGENTS.map((e) => e.label)).toEqual(['ollama', 'Python server']);
    for (const example of EXAMPLE_AGENTS) {
      const result = AgentDefinitionSchema.safeParse(example.definition);
      expect(result.success, `${example.label}: ${result.error?.message ?? ''}`).toBe(true);
    }
  });

  it('says what an agent is and opens an empty editor', async () => {
    const { store, user } = setup();
    expect(screen.getByRole('heading', { name: 'No agents yet' })).toBeTruthy();
    expect(screen.getByText(/An agent is a program Agent Tray keeps running/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add agent' }));
    expect(store.getState().ui.editor).toEqual({ mode: 'create', name: null, template: null });
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    expect(value(dialog, 'Name')).toBe('');
    expect(value(dialog, 'Command')).toBe('');
  });

  it('fills the editor with the ollama example', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'ollama' }));
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    expect(value(dialog, 'Name')).toBe('ollama');
    expect(value(dialog, 'Command')).toBe('ollama');
    expect(value(dialog, 'Arguments')).toBe('serve');
    expect(value(dialog, 'Port')).toBe('11434');
    expect(value(dialog, 'Health check URL')).toBe('http://127.0.0.1:11434/');
  });

  it('fills the editor with the Python server example, which saves as it is', async () => {
    const { fake, user } = setup();
    const button = screen.getByRole('button', { name: 'Python server' });
    expect(document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent).toContain('python3 -m uvicorn server:app --host 127.0.0.1 --port 8000');
    await user.click(button);
    const dialog = screen.getByRole('dialog', { name: 'Add agent' });
    expect(value(dialog, 'Command')).toBe('python3');
    expect(value(dialog, 'Arguments')).toBe('-m\nuvicorn\nserver:app\n--host\n127.0.0.1\n--port\n8000');
    expect(value(dialog, 'Port')).toBe('8000');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(fake.calls.find((c) => c.name === 'createAgent')?.input).toEqual({ definition: EXAMPLE_AGENTS[1]!.definition });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
