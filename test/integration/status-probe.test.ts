// An agent's status names its health probe (kind, target, interval with the settings' defaults),
// or null without one, so that a window shows health only where something probes it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import { tempDir } from '../helpers/temp-dir.js';

test('the status says which probe an agent has, with the default interval from the settings, and null without one', async () => {
  const { dir, cleanup } = await tempDir();
  after(cleanup);
  const agent = (name: string, extra: Record<string, unknown> = {}) => ({ name, command: process.execPath, args: ['-e', ''], ...extra });
  writeFileSync(
    `${dir}/agents.json`,
    JSON.stringify({
      agents: [
        agent('web', { health: { http: { url: 'http://127.0.0.1:8123/health' }, intervalMs: 2500 } }),
        agent('db', { health: { tcp: { port: 5432 } } }),
        agent('check', { health: { command: ['curl', '-f', 'http://x'] } }),
        agent('timings-only', { health: { intervalMs: 1000 } }),
        agent('plain'),
      ],
    }),
  );
  writeFileSync(`${dir}/settings.json`, JSON.stringify({ defaults: { health: { intervalMs: 7000 } } }));
  const app = await AgentTrayApp.open({ dataDir: dir });
  after(() => app.close({ stopAgents: true }));
  const probeOf = async (name: string) => (await app.dispatch('getAgent', { name })).probe;
  assert.deepEqual(await probeOf('web'), { kind: 'http', target: 'http://127.0.0.1:8123/health', intervalMs: 2500 });
  assert.deepEqual(await probeOf('db'), { kind: 'tcp', target: '127.0.0.1:5432', intervalMs: 7000 });
  assert.deepEqual(await probeOf('check'), { kind: 'command', target: 'curl -f http://x', intervalMs: 7000 });
  assert.equal(await probeOf('timings-only'), null);
  assert.equal(await probeOf('plain'), null);
  const { agents } = await app.dispatch('listAgents', {});
  assert.equal(agents.find((s) => s.name === 'plain')?.probe, null);
});
