// Which agents an export covers (named ones and what they depend on), and the --image options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImages, selectAgents } from '../../../../electron/app/export/index.js';
import { AgentTrayError } from '../../../../electron/core/errors.js';
import { definitions, fileOf, runExport } from '../../../helpers/export-tools.js';

const stack = definitions([
  { name: 'db', command: 'node' },
  { name: 'model', command: 'node' },
  { name: 'api', command: 'node', dependsOn: { db: 'started' } },
  { name: 'ui', command: 'node', dependsOn: { api: 'healthy' } },
]);

test('named agents come with everything they depend on, in agents.json order', () => {
  assert.deepEqual(selectAgents(stack, ['ui']), { agents: [stack[0], stack[2], stack[3]], added: ['api', 'db'] });
  assert.deepEqual(selectAgents(stack, []).agents.map((a) => a.name), ['db', 'model', 'api', 'ui']);
  assert.throws(() => selectAgents(stack, ['nope']), (e: unknown) => e instanceof AgentTrayError && e.code === 'unknown-agent' && /No agent named "nope" \(known agents: db, model, api, ui\)/.test(e.message));
});

test('an export of named agents says which dependencies it added', () => {
  const result = runExport({ to: 'process-compose', names: ['api'] }, stack);
  assert.match(fileOf(result, 'process-compose.yaml'), /^ {2}db:$/m);
  assert.doesNotMatch(fileOf(result, 'process-compose.yaml'), /^ {2}(model|ui):$/m);
  assert.equal(result.notes[0], 'Also exported, because the named agents depend on them: db.');
});

test('--image: NAME=IMAGE for one agent, IMAGE for the rest; an unknown name or an empty image is refused', () => {
  assert.deepEqual(parseImages(['api=ghcr.io/me/api:2', 'registry.local:5000/base@sha256:abc'], ['api', 'db']), { api: 'ghcr.io/me/api:2', '*': 'registry.local:5000/base@sha256:abc' });
  assert.throws(() => parseImages(['apj=x'], ['api']), (e: unknown) => e instanceof AgentTrayError && e.code === 'bad-request' && /names the agent "apj", which is not exported \(agents: api\)/.test(e.message));
  assert.throws(() => parseImages(['api='], ['api']), /names no image/);
});

test('an export with no agents says so', () => {
  const result = runExport({ to: 'kubernetes' }, []);
  assert.match(result.notes[0] ?? '', /no agents to export yet/);
  assert.deepEqual(result.lost, []);
});
