// @vitest-environment jsdom
// The Export dialog from the agents list: the files of each target (answered by the real exporter),
// what is lost, copy and download, the images for Kubernetes, a refusal in the host's words.
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentsList } from '../../../../renderer/components/agents/AgentsList.js';
import { imageOptions } from '../../../../renderer/components/export/ExportDialog.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { BridgeError } from '../../../../shared/bridge.js';
import type { ExportTarget } from '../../../../shared/export.js';
import { runExport } from '../../../helpers/export-tools.js';
import { fakeBridge, status } from '../../helpers/fakes.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const agents = [
  { name: 'model', command: 'ollama', args: ['serve'], health: { http: { url: 'http://127.0.0.1:11434/' } }, autostart: true },
  { name: 'web', command: 'node', args: ['server.js', 'two words'], port: 8080, dependsOn: { model: 'healthy' as const } },
];

function setup(fail = false) {
  const fake = fakeBridge({
    exportAgents: (input) => {
      if (fail) throw new BridgeError({ code: 'bad-request', message: 'The image option "x=" names no image', hint: 'Give NAME=IMAGE' });
      const i = input as { to: ExportTarget; image?: string[] };
      return runExport({ to: i.to, image: i.image ?? [] }, agents);
    },
  });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <AgentsList />
    </TrayStoreProvider>,
  );
  act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [status('model'), status('web')] }));
  return fake;
}

async function open() {
  await userEvent.click(screen.getByRole('button', { name: 'Export…' }));
  return screen.getByRole('dialog', { name: 'Export agents' });
}

describe('ExportDialog', () => {
  it('opens from the agents list on process-compose: the file, what is lost and the next steps; Escape closes it', async () => {
    const fake = setup();
    const dialog = await open();
    const content = await within(dialog).findByLabelText('Content of process-compose.yaml');
    expect(content.textContent).toContain("command: node server.js 'two words'");
    expect(fake.calls.filter((c) => c.name === 'exportAgents').map((c) => c.input)).toEqual([{ to: 'process-compose' }]);
    const lost = within(dialog).getByRole('table');
    expect(within(lost).getByRole('row', { name: /web port process-compose does not check that port 8080 is free/ })).toBeTruthy();
    expect(within(dialog).getByRole('region', { name: 'Next steps' }).textContent).toContain('process-compose up');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('systemd: a button per file shows that file; Copy puts it on the clipboard, Download saves it through a blob link', async () => {
    const user = userEvent.setup();
    setup();
    const dialog = await open();
    await user.click(within(dialog).getByRole('radio', { name: /systemd/ }));
    await user.click(await within(dialog).findByRole('button', { name: 'agent-tray-web.service' }));
    const content = within(dialog).getByLabelText('Content of agent-tray-web.service');
    expect(content.textContent).toMatch(/^ExecStart=".*" "server\.js" "two words"$/m);
    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(content.textContent);
    expect(within(dialog).getByRole('status').textContent).toBe('Copied agent-tray-web.service');

    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => (created.push(blob), 'blob:test/1'));
    URL.revokeObjectURL = vi.fn();
    const clicked: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });
    await user.click(within(dialog).getByRole('button', { name: 'Download' }));
    expect(clicked).toEqual([{ href: 'blob:test/1', download: 'agent-tray-web.service' }]);
    const saved = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(created[0]!);
    });
    expect(saved).toBe(content.textContent);
  });

  it('Kubernetes: images per agent and for every agent go to the export as --image options', async () => {
    const fake = setup();
    const dialog = await open();
    await userEvent.click(within(dialog).getByRole('radio', { name: /Kubernetes/ }));
    expect((await within(dialog).findByLabelText('Content of kubernetes.yaml')).textContent).toContain('image: REPLACE-ME/image-for-web');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^web/ }), 'ghcr.io/me/web:2');
    await waitFor(() => expect(within(dialog).getByLabelText('Content of kubernetes.yaml').textContent).toContain('image: ghcr.io/me/web:2'));
    expect(fake.calls.filter((c) => c.name === 'exportAgents').at(-1)?.input).toEqual({ to: 'kubernetes', image: ['web=ghcr.io/me/web:2'] });
    expect(within(dialog).queryByText(/no image was given/)).toBeTruthy(); // model still has none
  });

  it('a refused export shows the host\'s message and hint', async () => {
    setup(true);
    const dialog = await open();
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('The image option "x=" names no image');
    expect(alert.textContent).toContain('Give NAME=IMAGE');
  });

  it('image options: the default first, then NAME=IMAGE for each agent given one', () => {
    expect(imageOptions(' base:1 ', { a: 'x:2', b: '  ' })).toEqual(['base:1', 'a=x:2']);
    expect(imageOptions('', {})).toEqual([]);
  });
});
