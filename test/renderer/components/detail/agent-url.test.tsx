// @vitest-environment jsdom
// What an agent serves, in the window: an "Open" link in the detail header and the list row (a new
// browser tab, no opener, no referrer), and a line on the status bar badge's tooltip.
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import { AgentsList } from '../../../../renderer/components/agents/AgentsList.js';
import { badgeModel } from '../../../../renderer/store/selectors.js';
import { running, status } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

afterEach(cleanup);

const handlers = { getDefinition: () => ({ name: 'web', command: 'node', args: [], env: {} }) };

describe('an agent URL', () => {
  it('the detail header links to it, opening a new tab without opener or referrer', async () => {
    await renderWithStore(<AgentDetail name="web" tab="overview" />, {
      agents: [running('web', Date.now() - 1000, { port: 5173, url: 'http://127.0.0.1:5173/', urlSource: 'output' })],
      handlers,
    });
    const link = within(screen.getByRole('banner')).getByRole('link', { name: 'Open http://127.0.0.1:5173/' });
    expect(link.getAttribute('href')).toBe('http://127.0.0.1:5173/');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('title')).toBe('The first local address it printed in this run');
  });

  it('no link where the agent has no URL', async () => {
    await renderWithStore(<AgentDetail name="web" tab="overview" />, { agents: [running('web', Date.now() - 1000, { url: null, urlSource: null })], handlers });
    expect(within(screen.getByRole('banner')).queryByRole('link')).toBeNull();
  });

  it('the list row has "Open" while the agent runs, not while it is stopped', async () => {
    await renderWithStore(<AgentsList />, {
      agents: [running('web', Date.now() - 1000, { port: 5173, url: 'http://127.0.0.1:5173/', urlSource: 'port' }), status('idle', { port: 9000, url: 'http://127.0.0.1:9000/', urlSource: 'port' })],
    });
    const open = screen.getByRole('link', { name: 'Open web (http://127.0.0.1:5173/)' });
    expect(open.getAttribute('href')).toBe('http://127.0.0.1:5173/');
    expect(open.getAttribute('rel')).toBe('noopener noreferrer');
    expect(screen.queryByRole('link', { name: /^Open idle/ })).toBeNull();
  });

  it("the badge tooltip names it", () => {
    expect(badgeModel(status('web', { url: 'https://web.test/' }), Date.now()).tooltip).toContain('open https://web.test/');
    expect(badgeModel(status('web'), Date.now()).tooltip).not.toContain('open ');
  });
});
