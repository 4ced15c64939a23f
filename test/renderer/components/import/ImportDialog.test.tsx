// @vitest-environment jsdom
// The import dialog, opened from the first-run screen and the agents list: a file chosen (or
// dropped) is previewed by a dry run, the table shows each agent, its command, create or skip with
// the reason, and what was not carried over; a prefix and the file's folder ask again; a PM2 .js
// file is run only after the box is ticked; Import creates. The bridge answers with the real import
// code (electron/app/import: the readers and the plan), over the real fixture files.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../../../../shared/agent.js';
import type { ImportRequest, ImportResult } from '../../../../shared/import.js';
import { BridgeError } from '../../../../shared/bridge.js';
import { parseImportFile } from '../../../../electron/app/import/parse.js';
import { planImport } from '../../../../electron/app/import/plan.js';
import { AgentTrayError } from '../../../../electron/core/errors.js';
import { AgentsList } from '../../../../renderer/components/agents/AgentsList.js';
import { EmptyState } from '../../../../renderer/components/empty/EmptyState.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, status } from '../../helpers/fakes.js';

afterEach(cleanup);

// Vitest runs from the project root (jsdom gives import.meta.url no file path)
const FIXTURES = path.resolve('test/fixtures/import');
const fixtureFile = (name: string) => new File([readFileSync(path.join(FIXTURES, name), 'utf8')], name, { type: 'text/plain' });

/** The host's answer to importAgents, computed by the real readers and plan against `existing`. */
async function answer(input: unknown, existing: AgentDefinition[]): Promise<ImportResult> {
  const req = input as ImportRequest;
  try {
    const parsed = await parseImportFile(req.content, { fileName: req.fileName, dir: req.dir ?? null, platform: 'linux', files: req.files ?? {}, fileExists: existsSync, allowCode: req.allowCode ?? false });
    const plan = planImport(parsed.agents, { prefix: req.prefix, existing, sandbox: () => {} });
    return { format: parsed.format, agents: plan.agents, notes: parsed.notes, missingFiles: parsed.missingFiles, created: req.dryRun ? [] : plan.create.map((d) => d.name) };
  } catch (err) {
    if (err instanceof AgentTrayError) throw new BridgeError({ code: err.code, message: err.message.split('. ')[0]!, ...(err.hint ? { hint: err.hint } : {}) });
    throw err;
  }
}

function setup(view: 'empty' | 'list' = 'empty', existing: AgentDefinition[] = []) {
  const fake = fakeBridge({ importAgents: (input) => answer(input, existing) });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(<TrayStoreProvider store={store}>{view === 'empty' ? <EmptyState /> : <AgentsList />}</TrayStoreProvider>);
  const imports = () => fake.calls.filter((c) => c.name === 'importAgents').map((c) => c.input as ImportRequest);
  return { fake, store, user: userEvent.setup(), imports };
}

/** Opens the dialog with the Import… button. */
async function open(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await user.click(screen.getByRole('button', { name: 'Import…' }));
  return screen.getByRole('dialog', { name: 'Import agents' });
}

/** The preview table's rows as [name, command, status text, not-carried text]. */
function rows(dialog: HTMLElement): string[][] {
  return within(within(dialog).getByRole('table')).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent ?? ''));
}

describe('ImportDialog', () => {
  it('previews a Procfile from the first-run screen: each agent with its command and status; nothing is saved until Import', async () => {
    const { user, imports } = setup();
    const dialog = await open(user);
    await user.upload(within(dialog).getByLabelText('File to import'), fixtureFile('Procfile'));
    await within(dialog).findByRole('table');
    expect(imports()).toEqual([{ fileName: 'Procfile', content: readFileSync(path.join(FIXTURES, 'Procfile'), 'utf8'), dryRun: true }]);
    const table = rows(dialog);
    expect(table.map((r) => r[0])).toEqual(['web', 'worker', 'ollama', 'mcp', 'release', 'clock']);
    expect(table[0]![1]).toBe("sh -c 'gunicorn app:server --bind 127.0.0.1:$PORT --workers 2'");
    expect(table[2]![1]).toBe("'/opt/Ollama Models/bin/ollama' serve");
    expect(table.every((r) => r[2] === 'create')).toBe(true);
    expect(within(dialog).getByText('Line 13 was skipped: "this line is not a process" is not "name: command"')).toBeTruthy();
    // without the folder, the .env is not found: the dialog says to add it
    expect(within(dialog).getByText(/^Not found: \.env\. Drop or choose them too/)).toBeTruthy();

    await user.click(within(dialog).getByRole('button', { name: 'Import 6 agents' }));
    expect(imports().at(-1)).toMatchObject({ fileName: 'Procfile', dryRun: false });
    expect(within(dialog).getByRole('status').textContent).toBe('Imported 6 agents: web, worker, ollama, mcp, release, clock. They are stopped until you start them.');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('from the agents list: taken names are skipped with the reason, a prefix and the folder ask again, a dropped .env goes along', async () => {
    const { user, fake, imports } = setup('list', [{ name: 'web', command: 'node', args: [], env: {} }]);
    act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [status('web')] }));
    const dialog = await open(user);
    fireEvent.drop(within(dialog).getByText(/^Drop a Procfile/).parentElement!, { dataTransfer: { files: [fixtureFile('Procfile'), fixtureFile('.env')] } });
    await within(dialog).findByRole('table');
    expect(imports()[0]!.files).toEqual({ '.env': readFileSync(path.join(FIXTURES, '.env'), 'utf8') });
    expect(within(dialog).getByText(/^The 4 variables of \.env were copied into each agent's env/)).toBeTruthy();
    expect(rows(dialog)[0]).toEqual(['web', "sh -c 'gunicorn app:server --bind 127.0.0.1:$PORT --workers 2'", 'skip an agent named "web" already exists and was left as it is; import with a prefix to add this one beside it', expect.stringContaining('cwd')]);
    expect(within(dialog).getByRole('button', { name: 'Import 5 agents' })).toBeTruthy();

    await user.type(within(dialog).getByLabelText('Name prefix'), 'shop');
    await waitFor(() => expect(rows(dialog)[0]![0]).toBe('shop-web (from “web”)'));
    expect(imports().at(-1)).toMatchObject({ prefix: 'shop', dryRun: true });
    expect(within(dialog).getByRole('button', { name: 'Import 6 agents' })).toBeTruthy();

    await user.type(within(dialog).getByLabelText('Folder of the file'), FIXTURES);
    await waitFor(() => expect(imports().at(-1)).toMatchObject({ dir: FIXTURES }));
    await waitFor(() => expect(within(dialog).getByText(`Each agent reads ${path.join(FIXTURES, '.env')} at every start (envFile), as foreman reads .env`)).toBeTruthy());
    expect(within(dialog).queryByText(/^Not found/)).toBeNull();
  });

  it('a PM2 .js file is run only after the box is ticked; the table lists what was not carried over and why', async () => {
    const { user, imports } = setup();
    const dialog = await open(user);
    await user.upload(within(dialog).getByLabelText('File to import'), fixtureFile('ecosystem.config.js'));
    expect(within(dialog).getByText(/ecosystem\.config\.js is JavaScript\./)).toBeTruthy();
    expect(imports()).toEqual([]);
    expect((within(dialog).getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(true);

    await user.click(within(dialog).getByRole('checkbox', { name: 'Run this file to read its apps' }));
    await within(dialog).findByRole('table', {}, { timeout: 10_000 });
    expect(imports()[0]).toMatchObject({ fileName: 'ecosystem.config.js', allowCode: true, dryRun: true });
    const table = rows(dialog);
    expect(table.map((r) => r[0])).toEqual(['api-0', 'api-1', 'api-2', 'embedder', 'queue-ui (from “queue ui”)']);
    expect(table[4]![3]).toContain('cron_restart: Agent Tray does not restart agents on a schedule');
    expect(table[0]![3]).toContain('exec_mode: cluster mode shares one port among instances');
  });

  it('a Docker Compose file: the host\'s refusal with the formats it imports; Escape closes', async () => {
    const { user } = setup();
    const dialog = await open(user);
    await user.upload(within(dialog).getByLabelText('File to import'), fixtureFile('docker-compose.yml'));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('"docker-compose.yml" is a Docker Compose file: its services are containers');
    expect(alert.textContent).toContain('Agent Tray imports a Procfile (foreman, honcho, overmind), a process-compose.yaml, or a PM2 ecosystem file');
    expect((within(dialog).getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
