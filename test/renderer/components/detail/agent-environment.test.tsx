// @vitest-environment jsdom
// The overview's Environment: each variable with where it comes from (definition, an env file,
// the secret store), secrets as ••••••, and what would stop the next start.
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import { MASK } from '../../../../renderer/store/format.js';
import type { AgentEnv } from '../../../../shared/env.js';
import { status } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

afterEach(cleanup);

const definition = { name: 'alpha', command: 'node', args: ['server.js'], env: { PORT: '9090', DB_PASSWORD: 'hunter2-plain' }, envFile: ['.env'], secretEnv: ['OPENAI_API_KEY'] };
const env: AgentEnv = {
  variables: [
    { key: 'LOG_LEVEL', value: 'debug', source: 'envFile', file: '/srv/alpha/.env' },
    { key: 'PORT', value: '9090', source: 'definition', overrides: [{ source: 'envFile', file: '/srv/alpha/.env' }] },
    { key: 'DB_PASSWORD', value: 'hunter2-plain', source: 'definition' },
    { key: 'OPENAI_API_KEY', value: '••••••', source: 'secret' },
  ],
  errors: [{ code: 'env-file-missing', message: 'Agent "alpha": the env file /srv/alpha/.env.local does not exist', file: '/srv/alpha/.env.local' }],
};

describe('the overview\'s Environment', () => {
  it('lists each variable with its source: the env file by name (full path on hover), definition, secret; secrets masked', async () => {
    const { container } = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [status('alpha')], handlers: { getDefinition: () => definition, agentEnv: () => env } });
    const table = (await screen.findByText('LOG_LEVEL')).closest('table') as HTMLElement;
    const row = (key: string) => within(table).getByText(key).closest('tr') as HTMLElement;
    const cells = (key: string) => [...row(key).querySelectorAll('td')].map((td) => td.textContent);
    expect(cells('LOG_LEVEL')).toEqual(['debug', '.env']);
    expect(row('LOG_LEVEL').querySelector('.detail-env__source')?.getAttribute('title')).toBe('/srv/alpha/.env');
    expect(cells('PORT')).toEqual(['9090', 'definition (overrides .env)']);
    expect(cells('DB_PASSWORD')).toEqual([MASK, 'definition']);
    expect(cells('OPENAI_API_KEY')).toEqual(['••••••', 'secret']);
    expect(within(screen.getByRole('list', { name: 'What stops its next start' })).getByText(/the env file \/srv\/alpha\/\.env\.local does not exist/)).toBeTruthy();
    expect(container.textContent).not.toContain('hunter2-plain');
  });

  it('against a host without the env command it shows the definition\'s env and its secrets\' names', async () => {
    await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [status('alpha')], handlers: { getDefinition: () => definition } });
    const table = (await screen.findByText('PORT')).closest('table') as HTMLElement;
    expect([...(within(table).getByText('PORT').closest('tr') as HTMLElement).querySelectorAll('td')].map((td) => td.textContent)).toEqual(['9090', 'definition']);
    expect([...(within(table).getByText('OPENAI_API_KEY').closest('tr') as HTMLElement).querySelectorAll('td')].map((td) => td.textContent)).toEqual(['••••••', 'secret']);
  });
});
