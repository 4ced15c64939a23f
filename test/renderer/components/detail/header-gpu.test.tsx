// @vitest-environment jsdom
// GPU memory in an agent's page header: a "GPU" fact beside PID, port and uptime while some agent
// uses GPU memory (the agent's figure, "n/a" where this machine cannot tell, "—" while it is not
// running), and nothing about the GPU where no agent uses one.
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import type { AgentStatus, ResourceSample } from '../../../../shared/status.js';
import { running, status } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

afterEach(cleanup);

/** A sample with GPU memory `gpu` (undefined: a host that sends none). */
function sample(gpu: number | null | undefined): ResourceSample {
  return { at: Date.now(), cpuPercent: 1, memoryMB: 100, threads: 1, fileHandles: 1, processes: 1, ...(gpu === undefined ? {} : { gpuMemoryMB: gpu }) };
}

const handlers = { getDefinition: () => ({ name: 'alpha', command: 'python3', args: [], env: {} }) };

/** The header of `name`'s page with `agents` known to the window. */
async function header(name: string, agents: AgentStatus[]): Promise<HTMLElement> {
  await renderWithStore(<AgentDetail name={name} tab="overview" />, { agents, handlers });
  return screen.getByRole('banner');
}

/** The header's facts as "label value" pairs. */
function facts(banner: HTMLElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const fact of banner.querySelectorAll('.detail-fact')) out[fact.querySelector('dt')?.textContent ?? ''] = fact.querySelector('dd')?.textContent ?? '';
  return out;
}

describe("GPU memory in an agent's header", () => {
  const started = Date.now() - 60_000;

  it('shows the agent\'s GPU memory in the house format when it uses the GPU', async () => {
    const banner = await header('alpha', [running('alpha', started, { stats: sample(1229) })]);
    expect(facts(banner).GPU).toBe('1.2 GB');
    expect(within(banner).getByText('1.2 GB')).toBeTruthy();
  });

  it('shows it for an agent using none (0 MB) while another agent uses the GPU', async () => {
    const banner = await header('alpha', [running('alpha', started, { stats: sample(0) }), running('model', started, { stats: sample(8192) })]);
    expect(facts(banner).GPU).toBe('0.0 MB');
  });

  it('says n/a where this machine cannot tell the agent\'s GPU memory, and — while the agent is stopped', async () => {
    const banner = await header('alpha', [running('alpha', started, { stats: sample(null) }), running('model', started, { stats: sample(2048) }), status('idle', { stats: sample(512) })]);
    expect(facts(banner).GPU).toBe('n/a');
    cleanup();
    const stopped = await header('idle', [status('idle', { stats: sample(512) }), running('model', started, { stats: sample(2048) })]);
    expect(facts(stopped).GPU).toBe('—');
  });

  it('has nothing about the GPU where no agent uses GPU memory (unknown, none, or an older host)', async () => {
    const banner = await header('alpha', [running('alpha', started, { stats: sample(null) }), running('b', started, { stats: sample(0) }), running('c', started, { stats: sample(undefined) })]);
    expect(Object.keys(facts(banner))).toContain('PID');
    expect(Object.keys(facts(banner))).not.toContain('GPU');
    expect(banner.textContent).not.toMatch(/GPU|n\/a/);
  });
});
