// process-compose.yaml: commands through the file's shell when they need one, working_dir,
// environment as a list or a map, env_file as a string or a list (referred to when on disk, copied
// when sent, named when missing), depends_on conditions, probes, availability, shutdown, disabled,
// replicas, ready_log_line, and every setting left out named with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parse } from 'yaml';
import { parseProcessCompose } from '../../../../electron/app/import/process-compose.js';
import type { ParsedAgent } from '../../../../electron/app/import/types.js';
import { context, FIXTURES, fixtureText } from './helpers.js';

const doc = () => parse(fixtureText('process-compose.yaml')) as Record<string, unknown>;
const find = (agents: ParsedAgent[], name: string) => agents.find((a) => a.source === name)!;
const fields = (agent: ParsedAgent) => agent.notCarried.map((n) => n.field);

test('the fixture: commands, cwd from working_dir, global and own environment (list and map), autostart unless disabled', () => {
  const parsed = parseProcessCompose(doc(), context('process-compose.yaml'));
  assert.deepEqual(parsed.agents.map((a) => a.source), ['migrate', 'model', 'api', 'worker-0', 'worker-1', 'ui']);
  const migrate = find(parsed.agents, 'migrate').definition;
  assert.deepEqual([migrate.command, migrate.args, migrate.cwd], ['python', ['manage.py', 'migrate'], path.join(FIXTURES, 'backend')]);
  assert.deepEqual(migrate.restart, { policy: 'no' });
  const model = find(parsed.agents, 'model').definition;
  assert.deepEqual(model.env, { LOG_LEVEL: 'info', OLLAMA_HOST: '127.0.0.1:11434', OLLAMA_KEEP_ALIVE: '30m' });
  assert.equal(model.description, 'The local model server');
  assert.equal(model.autostart, true);
  assert.equal(find(parsed.agents, 'ui').definition.autostart, false, 'disabled: does not start with Agent Tray');
  const worker = find(parsed.agents, 'worker-0').definition;
  assert.deepEqual([worker.command, worker.args], ['bash', ['-c', 'celery -A tasks worker --concurrency=2 2>&1 | tee -a worker.log']], 'a pipe runs through process-compose\'s default shell, bash');
  assert.ok(parsed.notes.includes('log_location was not carried over: Agent Tray keeps its own logs and settings'));
});

test('env_file lists: files on disk become envFile (in order), a missing one is named on the agent and in missingFiles', () => {
  const parsed = parseProcessCompose(doc(), context('process-compose.yaml'));
  const api = find(parsed.agents, 'api');
  assert.equal(api.definition.envFile, path.join(FIXTURES, '.env.shared'));
  assert.deepEqual(api.definition.env, { LOG_LEVEL: 'info', MODEL_URL: 'http://127.0.0.1:11434' });
  assert.deepEqual(api.notCarried.find((n) => n.field === 'env_file'), { field: 'env_file', reason: `backend/.env.local was not found in ${FIXTURES}, so its variables are missing` });
  assert.deepEqual(api.notCarried.find((n) => n.field === 'environment'), { field: 'environment', reason: '"NOT_A_PAIR" is not KEY=value' });
  assert.deepEqual(parsed.missingFiles, ['backend/.env.local']);
  assert.equal(find(parsed.agents, 'worker-1').definition.envFile, path.join(FIXTURES, '.env.shared'), 'a single env_file string');

  const both = parseProcessCompose(parse('processes:\n  a:\n    command: x\n    env_file: [.env, .env.shared]\n') as Record<string, unknown>, context('process-compose.yaml'));
  assert.deepEqual(both.agents[0]!.definition.envFile, [path.join(FIXTURES, '.env'), path.join(FIXTURES, '.env.shared')]);
});

test('env_file sent as text (no folder): values copied into env under the own environment, and said so', () => {
  const parsed = parseProcessCompose(doc(), context('process-compose.yaml', { dir: null, files: { '.env.shared': fixtureText('.env.shared') } }));
  const api = find(parsed.agents, 'api');
  assert.equal(api.definition.envFile, undefined);
  assert.deepEqual(api.definition.env, { LOG_LEVEL: 'info', REDIS_URL: 'redis://127.0.0.1:6379/0', EMBEDDING_MODEL: 'all-MiniLM-L6-v2', MODEL_URL: 'http://127.0.0.1:11434' });
  assert.match(api.notCarried.find((n) => n.field === 'env_file' && n.reason.includes('copied'))!.reason, /the values of \.env\.shared were copied into env/);
  assert.match(api.notCarried.find((n) => n.field === 'working_dir')?.reason ?? '', /"\.\/backend" is taken from the file's folder, which was not given/, 'working_dir ./backend cannot be resolved');
  assert.equal(api.definition.cwd, undefined);
  assert.deepEqual(parsed.missingFiles, ['backend/.env.local']);
});

test('depends_on: each condition mapped; unknown processes dropped; healthy on a process without a probe waits for started; a replicated dependency is every replica', () => {
  const parsed = parseProcessCompose(doc(), context('process-compose.yaml'));
  assert.deepEqual(find(parsed.agents, 'api').definition.dependsOn, { migrate: 'completed', model: 'healthy' });
  assert.deepEqual(find(parsed.agents, 'worker-0').definition.dependsOn, { api: 'started' });
  assert.deepEqual(find(parsed.agents, 'worker-0').notCarried.find((n) => n.field === 'depends_on.redis'), { field: 'depends_on.redis', reason: 'the file has no process "redis"' });
  const ui = find(parsed.agents, 'ui');
  assert.deepEqual(ui.definition.dependsOn, { api: 'ready', worker: 'started' }, 'the file\'s names; the plan spreads "worker" over its replicas');
  assert.match(ui.notCarried.find((n) => n.field === 'depends_on.worker.condition')!.reason, /"worker" has no readiness or liveness probe, so it can never be healthy/);

  const completed = parseProcessCompose(parse('processes:\n  a:\n    command: x\n  b:\n    command: y\n    depends_on:\n      a:\n        condition: process_completed\n') as Record<string, unknown>, context('p.yaml'));
  assert.deepEqual(completed.agents[1]!.definition.dependsOn, { a: 'completed' });
  assert.match(completed.agents[1]!.notCarried[0]!.reason, /process_completed accepts any exit code; "completed" here waits for exit code 0/);
});

test('probes, availability and shutdown become health, restart and stop', () => {
  const parsed = parseProcessCompose(doc(), context('process-compose.yaml'));
  const model = find(parsed.agents, 'model');
  assert.deepEqual(model.definition.health, { http: { url: 'http://127.0.0.1:11434/api/tags' }, intervalMs: 10_000, timeoutMs: 3000, startPeriodMs: 5000, failureThreshold: 6 });
  assert.deepEqual(model.definition.restart, { policy: 'always', maxRestarts: 10, backoff: { initialMs: 3000, factor: 1, maxMs: 3000 } });
  assert.deepEqual(model.definition.stop, { signal: 'SIGINT', timeoutMs: 20_000 });
  const api = find(parsed.agents, 'api');
  assert.deepEqual(api.definition.health, { command: ['curl', '-fsS', 'http://127.0.0.1:8000/health'], intervalMs: 15_000, restartOnFailure: true }, 'a liveness probe restarts');
  assert.deepEqual(api.definition.restart, { policy: 'on-failure' });
  assert.deepEqual(fields(api).sort(), ['availability.exit_on_end', 'availability.max_restarts', 'env_file', 'environment', 'log_location']);
  const worker = find(parsed.agents, 'worker-1');
  assert.deepEqual(worker.definition.stop, { command: ['celery', '-A', 'tasks', 'control', 'shutdown'] });
  assert.equal(worker.definition.readyLine, 'celery@host ready\\.', 'ready_log_line is plain text');
  assert.ok(new RegExp(worker.definition.readyLine!).test('[info] celery@host ready.'));
  assert.deepEqual(find(parsed.agents, 'ui').notCarried.map((n) => n.field), ['is_tty', 'depends_on.worker.condition']);
});

test('replicas: one agent per replica with PC_REPLICA_NUM, in a group of the process\'s name', () => {
  const parsed = parseProcessCompose(doc(), context('process-compose.yaml'));
  const replicas = parsed.agents.filter((a) => a.replicaOf === 'worker');
  assert.deepEqual(replicas.map((r) => [r.source, r.definition.env?.PC_REPLICA_NUM, r.definition.groups]), [['worker-0', '0', ['worker']], ['worker-1', '1', ['worker']]]);
});

test('a shell of the file\'s own, exit_on_failure, an unknown signal, entrypoint: carried or named', () => {
  const yaml = [
    'shell:',
    '  shell_command: zsh',
    '  shell_argument: -c',
    'processes:',
    '  a:',
    '    command: "echo $HOME"',
    '    availability: { restart: exit_on_failure }',
    '    shutdown: { signal: 9 }',
    '  b:',
    '    entrypoint: [python3, -m, http.server]',
    '    is_daemon: true',
    '    x-owner: me',
  ].join('\n');
  const parsed = parseProcessCompose(parse(yaml) as Record<string, unknown>, context('process-compose.yaml'));
  const [a, b] = parsed.agents;
  assert.deepEqual([a!.definition.command, a!.definition.args], ['zsh', ['-c', 'echo $HOME']]);
  assert.deepEqual(a!.definition.restart, { policy: 'no' });
  assert.match(a!.notCarried.find((n) => n.field === 'availability.restart')!.reason, /exit_on_failure stops all of process-compose/);
  assert.match(a!.notCarried.find((n) => n.field === 'shutdown.signal')!.reason, /signal 9 is not one an agent can be stopped with first/);
  assert.deepEqual([b!.definition.command, b!.definition.args], ['python3', ['-m', 'http.server']]);
  assert.deepEqual(b!.notCarried.map((n) => n.field), ['is_daemon', 'x-owner']);
  assert.ok(parsed.notes.some((n) => n.startsWith('process-compose expands $VARIABLES')));
});
