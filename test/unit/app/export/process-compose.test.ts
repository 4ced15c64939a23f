// Export to process-compose.yaml: the structure process-compose reads (after its own $-substitution
// and template rendering), the command line as bash reads it back, and what is listed as lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileOf, lostOf, processComposeDocument, renderedTemplate, runExport, TRICKY_WORDS } from '../../../helpers/export-tools.js';
import type { AgentDefinitionInput } from '../../../../shared/agent.js';

type Process = Record<string, unknown> & { command: string };

/** The processes of a process-compose export, as process-compose reads them. */
function processesOf(agents: AgentDefinitionInput[]) {
  const result = runExport({ to: 'process-compose' }, agents);
  const doc = processComposeDocument(fileOf(result, 'process-compose.yaml'));
  return { result, doc, processes: doc.processes as Record<string, Process> };
}

test('tricky arguments survive the file: process-compose\'s $-substitution, its templates and bash -c', () => {
  const { processes } = processesOf([{ name: 'echo', command: 'printf', args: ['%s\\0', ...TRICKY_WORDS] }]);
  const line = renderedTemplate(processes.echo!.command);
  const out = execFileSync('bash', ['-c', line], { encoding: 'utf8' });
  assert.deepEqual(out.split('\0').slice(0, -1), TRICKY_WORDS);
});

test('working directory, environment, env files and description are carried; a relative cwd is taken from the data directory', () => {
  const { processes, result } = processesOf([
    { name: 'web', command: 'python3', args: ['-m', 'http.server'], cwd: 'sites/web', env: { PORT: '8000', GREETING: 'hello $USER {{x}}', EMPTY: '' }, envFile: ['.env', '/etc/web.env'], description: 'The {{site}}' },
  ]);
  const web = processes.web!;
  assert.equal(web.working_dir, '/srv/agent-tray/sites/web');
  assert.deepEqual((web.environment as string[]).map(renderedTemplate), ['PORT=8000', 'GREETING=hello $USER {{x}}', 'EMPTY=']);
  assert.equal(web.env_file, '/srv/agent-tray/sites/web/.env');
  assert.equal(renderedTemplate(web.description as string), 'The {{site}}');
  assert.match(lostOf(result, 'web').get('envFile') ?? '', /one env_file per process; \/etc\/web\.env is not read/);
});

test('dependencies keep their conditions; "ready" is the dependency\'s readyLine, else its probe, else started', () => {
  const { processes, result } = processesOf([
    { name: 'model', command: 'ollama', args: ['serve'], health: { http: { url: 'http://127.0.0.1:11434/api/tags' } } },
    { name: 'setup', command: './migrate.sh' },
    { name: 'mcp', command: 'node', args: ['mcp.js'], readyLine: 'listening on port 7000' },
    { name: 'fancy', command: 'node', args: ['f.js'], readyLine: 'listening on \\d+' },
    { name: 'plain', command: 'node', args: ['p.js'] },
    {
      name: 'agent',
      command: 'node',
      args: ['agent.js'],
      autostart: true,
      dependsOn: { model: 'healthy', setup: 'completed', mcp: 'ready', fancy: 'ready', plain: 'started' },
    },
  ]);
  assert.deepEqual(processes.agent!.depends_on, {
    model: { condition: 'process_healthy' },
    setup: { condition: 'process_completed_successfully' },
    mcp: { condition: 'process_log_ready' },
    fancy: { condition: 'process_started' },
    plain: { condition: 'process_started' },
  });
  assert.equal(processes.mcp!.ready_log_line, 'listening on port 7000');
  assert.equal(processes.fancy!.ready_log_line, undefined);
  assert.match(lostOf(result, 'fancy').get('readyLine') ?? '', /plain substring, and \/listening on \\d\+\/ is a regular expression/);
  assert.match(lostOf(result, 'agent').get('dependsOn.fancy') ?? '', /readyLine is not in the file, so "ready" became "started"/);
  // started with the stack: the autostart agent and everything it depends on; nothing else is disabled either
  for (const name of ['model', 'setup', 'mcp', 'fancy', 'plain', 'agent']) assert.equal(processes[name]!.disabled, undefined, name);
});

test('an agent neither autostart nor needed by one is disabled, and the notes say how to start it', () => {
  const { processes, result } = processesOf([
    { name: 'a', command: 'node', autostart: true },
    { name: 'b', command: 'node' },
  ]);
  assert.equal(processes.a!.disabled, undefined);
  assert.equal(processes.b!.disabled, true);
  assert.ok(result.notes.some((n) => n.includes('Not started by `up`') && n.includes(': b.')), result.notes.join('\n'));
});

test('probes: http_get from the URL, exec from a command, tcp through bash; liveness only with restartOnFailure; ms rounded up and listed', () => {
  const { processes, result } = processesOf([
    { name: 'h', command: 'node', health: { http: { url: 'https://localhost:8443/ready?deep=1' }, intervalMs: 1500, timeoutMs: 3000, startPeriodMs: 0, failureThreshold: 5, successThreshold: 2, restartOnFailure: true } },
    { name: 'c', command: 'node', health: { command: ['curl', '-fs', 'http://127.0.0.1:9/x y'] } },
    { name: 't', command: 'node', health: { tcp: { port: 5432 } } },
  ]);
  assert.deepEqual(processes.h!.readiness_probe, {
    http_get: { host: 'localhost', scheme: 'https', path: '/ready?deep=1', port: '8443' },
    initial_delay_seconds: 0,
    period_seconds: 2,
    timeout_seconds: 3,
    success_threshold: 2,
    failure_threshold: 5,
  });
  assert.deepEqual(processes.h!.liveness_probe, processes.h!.readiness_probe);
  assert.match(lostOf(result, 'h').get('health.intervalMs') ?? '', /1500 ms became 2 s/);
  assert.equal(processes.c!.liveness_probe, undefined);
  assert.equal((processes.c!.readiness_probe as { exec: { command: string } }).exec.command, "curl -fs 'http://127.0.0.1:9/x y'");
  assert.equal((processes.c!.readiness_probe as { period_seconds: number }).period_seconds, 10, 'Agent Tray\'s default interval');
  assert.equal((processes.t!.readiness_probe as { exec: { command: string } }).exec.command, "bash -c 'exec 3<>/dev/tcp/127.0.0.1/5432'");
});

test('readyLine and a health probe together: the probe is kept, the line is listed', () => {
  const { processes, result } = processesOf([{ name: 'x', command: 'node', readyLine: 'ready', health: { tcp: { port: 1 } } }]);
  assert.equal(processes.x!.ready_log_line, undefined);
  assert.ok(processes.x!.readiness_probe);
  assert.match(lostOf(result, 'x').get('readyLine') ?? '', /not both/);
});

test('restart policy, budget and backoff; settings.json defaults count as set by the person', () => {
  const result = runExport(
    { to: 'process-compose' },
    [
      { name: 'always', command: 'node', restart: { policy: 'always', maxRestarts: 3, backoff: { initialMs: 2500, factor: 3 } } },
      { name: 'never', command: 'node', restart: { policy: 'no' } },
      { name: 'default', command: 'node' },
      { name: 'zero', command: 'node', restart: { maxRestarts: 0 } },
    ],
    { defaults: { restart: { windowMs: 120_000 } } },
  );
  const processes = processComposeDocument(fileOf(result, 'process-compose.yaml')).processes as Record<string, Process>;
  assert.deepEqual(processes.always!.availability, { restart: 'always', backoff_seconds: 3, max_restarts: 3 });
  assert.deepEqual(processes.never!.availability, { restart: 'no' });
  assert.deepEqual(processes.default!.availability, { restart: 'on_failure', backoff_seconds: 1, max_restarts: 5 });
  assert.deepEqual(processes.zero!.availability, { restart: 'no' }, 'a budget of 0 restarts is no restart');
  const always = lostOf(result, 'always');
  assert.match(always.get('restart.backoff.initialMs') ?? '', /2500 ms became 3 s/);
  assert.match(always.get('restart.backoff.factor') ?? '', /does not grow the wait/);
  assert.match(always.get('restart.windowMs') ?? '', /within a window of 120 s/, 'the default from settings.json');
  assert.equal(lostOf(result, 'default').get('restart.backoff.factor'), undefined, 'built-in defaults are not listed per agent');
});

test('shutdown: the stop command, the signal number and the whole grace period', () => {
  const { processes } = processesOf([
    { name: 's', command: 'ollama', stop: { signal: 'SIGINT', command: ['ollama', 'stop', 'my model'], timeoutMs: 4000, insistMs: 2000 } },
    { name: 'd', command: 'node' },
  ]);
  assert.deepEqual(processes.s!.shutdown, { command: "ollama stop 'my model'", signal: 2, timeout_seconds: 6 });
  assert.deepEqual(processes.d!.shutdown, { signal: 15, timeout_seconds: 15 });
});

test('what process-compose has no place for is listed per agent and field', () => {
  const { result, processes } = processesOf([
    {
      name: 'big',
      command: 'node',
      port: 8080,
      priority: 'high',
      groups: ['web', 'prod'],
      discover: { script: 'big.js' },
      startTimeoutMs: 5000,
      stop: { stdin: 'quit' },
      limits: { maxMemoryMB: 512, maxCpuPercent: 150, sustainMs: 10_000, maxRuntimeMs: 60_000, maxFileHandles: 1000 },
      secretEnv: ['API_KEY'],
    },
  ]);
  assert.equal(processes.big!.namespace, 'web');
  const lost = lostOf(result, 'big');
  for (const field of ['port', 'priority', 'groups', 'discover', 'startTimeoutMs', 'stop.stdin', 'limits.maxMemoryMB', 'limits.maxCpuPercent', 'limits.maxRuntimeMs', 'limits.maxFileHandles', 'secretEnv.API_KEY']) {
    assert.ok(lost.has(field), `${field} is listed: ${[...lost.keys()].join(', ')}`);
  }
  assert.match(lost.get('groups') ?? '', /"web" was kept, "prod" was not/);
  assert.equal(JSON.stringify(processes.big).includes('API_KEY'), false, 'a secret\'s name is not in the file');
});
