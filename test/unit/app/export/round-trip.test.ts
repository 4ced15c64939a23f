// process-compose.yaml round trip: the agents exported, the file read back by Agent Tray's own
// process-compose importer, and the definitions compared field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { parseImportFile } from '../../../../electron/app/import/parse.js';
import type { AgentDefinitionInput } from '../../../../shared/agent.js';
import { fileOf, runExport } from '../../../helpers/export-tools.js';

const agents: AgentDefinitionInput[] = [
  {
    name: 'model',
    command: 'ollama',
    args: ['serve'],
    env: { OLLAMA_HOST: '127.0.0.1:11434', EMPTY: '', PRICE: 'costs $5, not $$5' },
    health: { http: { url: 'http://127.0.0.1:11434/api/tags' }, intervalMs: 5000, failureThreshold: 4 },
    restart: { policy: 'always', maxRestarts: 3, backoff: { initialMs: 2000 } },
    stop: { signal: 'SIGINT' },
    autostart: true,
  },
  { name: 'setup', command: 'node', args: ['migrate.js', 'two words', "it's", 'say "hi"', 'a\\b', '$HOME stays literal'], cwd: '/srv/app', restart: { policy: 'no' } },
  { name: 'agent', command: 'python3', args: ['-m', 'agent'], cwd: '/srv/app', dependsOn: { model: 'healthy', setup: 'completed' }, readyLine: 'agent ready', groups: ['ai'], description: 'The agent' },
];

test('exported to process-compose and imported again, the agents are the same', async () => {
  const result = runExport({ to: 'process-compose' }, agents);
  const parsed = await parseImportFile(fileOf(result, 'process-compose.yaml'), { fileName: 'process-compose.yaml', dir: '/srv', platform: 'linux', files: {}, fileExists: existsSync, allowCode: false });
  const byName = new Map(parsed.agents.map((a) => [a.source, a.definition]));
  assert.deepEqual([...byName.keys()], ['model', 'setup', 'agent']);
  const model = byName.get('model')!;
  assert.equal(model.command, 'ollama');
  assert.deepEqual(model.args, ['serve']);
  // process-compose reads `$$` as `$`: the exporter doubles every `$`, the importer reads them back as one
  assert.deepEqual(model.env, { OLLAMA_HOST: '127.0.0.1:11434', EMPTY: '', PRICE: 'costs $5, not $$5' });
  assert.equal(model.cwd, '/srv/agent-tray', 'no cwd: the data directory, written out');
  assert.equal(model.autostart, true);
  assert.equal(model.restart?.policy, 'always');
  assert.equal(model.restart?.maxRestarts, 3);
  assert.equal(model.restart?.backoff?.initialMs, 2000);
  assert.equal(model.health?.http?.url, 'http://127.0.0.1:11434/api/tags');
  assert.equal(model.health?.intervalMs, 5000);
  assert.equal(model.health?.failureThreshold, 4);
  assert.equal(model.stop?.signal, 'SIGINT');
  assert.equal(model.stop?.timeoutMs, 15_000, 'the whole grace period: timeoutMs + insistMs');
  const setup = byName.get('setup')!;
  assert.deepEqual([setup.command, ...(setup.args ?? [])], ['node', 'migrate.js', 'two words', "it's", 'say "hi"', 'a\\b', '$HOME stays literal']);
  assert.equal(setup.restart?.policy, 'no');
  assert.equal(setup.autostart, false);
  const agent = byName.get('agent')!;
  assert.deepEqual(agent.dependsOn, { model: 'healthy', setup: 'completed' });
  assert.equal(agent.readyLine, 'agent ready');
  assert.deepEqual(agent.groups, ['ai']);
  assert.equal(agent.description, 'The agent');
  assert.equal(agent.cwd, '/srv/app');
});
