// The Prometheus metrics of a host against made-up statuses: the values, the series that are left
// out, the types and names (promtool's lint), and the event tally behind the counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as prom from 'prom-client';
import { createMetricsRegistry, type MetricsSnapshot } from '../../../electron/server/metrics-collector.js';
import { MetricsTally } from '../../../electron/server/metrics-tally.js';
import { buildOpenApi } from '../../../electron/server/openapi.js';
import type { HostEvent } from '../../../shared/events.js';
import { AGENT_STATES, type AgentStatus } from '../../../shared/status.js';
import { NO_PROMTOOL, parseSamples, promtoolCheck, samplesOf, typesOf, valueOf } from '../../helpers/prom-text.js';
import { status } from '../../renderer/helpers/fakes.js';

const MIB = 1024 * 1024;


const web = status('web', {
  state: 'running',
  pid: 4242,
  startedAt: 1_700_000_000_000,
  uptimeMs: 90_500,
  health: 'healthy',
  healthScore: 87,
  groups: ['models', 'has "quotes" and \\ too'],
  stats: { at: 1, cpuPercent: 150, memoryMB: 512.5, threads: 12, fileHandles: 40, processes: 3 },
});
const worker = status('worker', { state: 'crashed', startedAt: 1_700_000_100_000, health: 'unknown', healthScore: 40, restarts: 5 });
const idle = status('idle');

function snapshot(extra: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    agents: [web, worker, idle],
    restarts: (name) => (name === 'worker' ? 5 : 0),
    violations: (name, kind) => (name === 'web' && kind === 'memory' ? 2 : 0),
    lastRunSeconds: new Map([['worker', 12.25]]),
    alertsUnread: 3,
    configErrors: 1,
    writeFailures: 4,
    eventStreamClients: 2,
    host: {
      version: '9.8.7',
      startedAt: 1_700_000_000_000,
      now: 1_700_000_060_000,
      residentMemoryBytes: 80 * MIB,
      cpuSeconds: 1.5,
      processStartSeconds: 1_699_999_999,
      platform: 'linux',
      nodeVersion: '20.20.2',
    },
    ...extra,
  };
}

test('per agent: one state series per state, up, health, and the resources of the latest sample in base units', async () => {
  const text = await createMetricsRegistry(prom).render(snapshot());

  assert.equal(samplesOf(text, 'agent_tray_agent_state', { agent: 'web' }).length, AGENT_STATES.length);
  assert.equal(valueOf(text, 'agent_tray_agent_state', { agent: 'web', state: 'running' }), 1);
  assert.equal(valueOf(text, 'agent_tray_agent_state', { agent: 'web', state: 'stopped' }), 0);
  assert.equal(valueOf(text, 'agent_tray_agent_state', { agent: 'worker', state: 'crashed' }), 1);
  assert.equal(samplesOf(text, 'agent_tray_agent_state', { agent: 'idle' }).reduce((sum, s) => sum + s.value, 0), 1, 'exactly one state is 1');

  assert.equal(valueOf(text, 'agent_tray_agent_up', { agent: 'web' }), 1);
  assert.equal(valueOf(text, 'agent_tray_agent_up', { agent: 'worker' }), 0);
  assert.equal(valueOf(text, 'agent_tray_agent_healthy', { agent: 'web' }), 1);
  assert.equal(valueOf(text, 'agent_tray_agent_healthy', { agent: 'worker' }), 0);
  assert.equal(valueOf(text, 'agent_tray_agent_health_state', { agent: 'worker', health: 'unknown' }), 1);
  assert.equal(valueOf(text, 'agent_tray_agent_health_score', { agent: 'web' }), 87);

  assert.equal(valueOf(text, 'agent_tray_agent_cpu_ratio', { agent: 'web' }), 1.5);
  assert.equal(valueOf(text, 'agent_tray_agent_resident_memory_bytes', { agent: 'web' }), 512.5 * MIB);
  assert.equal(valueOf(text, 'agent_tray_agent_processes', { agent: 'web' }), 3);
  assert.equal(valueOf(text, 'agent_tray_agent_threads', { agent: 'web' }), 12);
  assert.equal(valueOf(text, 'agent_tray_agent_open_fds', { agent: 'web' }), 40);
  // nothing runs: no sample, no series (rather than a made-up 0)
  for (const name of ['agent_tray_agent_cpu_ratio', 'agent_tray_agent_resident_memory_bytes', 'agent_tray_agent_processes']) {
    assert.deepEqual(samplesOf(text, name, { agent: 'worker' }), [], name);
  }

  assert.equal(valueOf(text, 'agent_tray_agent_uptime_seconds', { agent: 'web' }), 90.5);
  assert.equal(valueOf(text, 'agent_tray_agent_uptime_seconds', { agent: 'worker' }), 0);
  assert.equal(valueOf(text, 'agent_tray_agent_start_time_seconds', { agent: 'worker' }), 1_700_000_100);
  assert.deepEqual(samplesOf(text, 'agent_tray_agent_start_time_seconds', { agent: 'idle' }), [], 'never started');
  assert.equal(valueOf(text, 'agent_tray_agent_last_run_duration_seconds', { agent: 'worker' }), 12.25);
  assert.deepEqual(samplesOf(text, 'agent_tray_agent_last_run_duration_seconds', { agent: 'web' }), []);

  assert.deepEqual(
    samplesOf(text, 'agent_tray_agent_group_info').map((s) => [s.labels.agent, s.labels.group, s.value]),
    [
      ['web', 'models', 1],
      ['web', 'has "quotes" and \\ too', 1],
    ],
  );
});

test('counters come from the tally, with every limit kind present from the start', async () => {
  const text = await createMetricsRegistry(prom).render(snapshot());
  assert.equal(valueOf(text, 'agent_tray_agent_restarts_total', { agent: 'worker' }), 5);
  assert.equal(valueOf(text, 'agent_tray_agent_restarts_total', { agent: 'idle' }), 0);
  assert.equal(valueOf(text, 'agent_tray_agent_limit_violations_total', { agent: 'web', limit: 'memory' }), 2);
  assert.deepEqual(
    samplesOf(text, 'agent_tray_agent_limit_violations_total', { agent: 'idle' }).map((s) => [s.labels.limit, s.value]),
    [
      ['memory', 0],
      ['cpu', 0],
      ['runtime', 0],
      ['fileHandles', 0],
      ['gpuMemory', 0],
    ],
  );
  const types = typesOf(text);
  for (const [name, type] of types) assert.equal(type === 'counter', name.endsWith('_total'), `${name} is a ${type}`);
  assert.equal(types.get('agent_tray_agent_restarts_total'), 'counter');
  assert.equal(types.get('process_cpu_seconds_total'), 'counter');
});

test('the host: agents by state, alerts, clients, uptime, its process, and the build', async () => {
  const text = await createMetricsRegistry(prom).render(snapshot());
  assert.equal(valueOf(text, 'agent_tray_agents'), 3);
  assert.equal(valueOf(text, 'agent_tray_agents_running'), 1);
  assert.equal(valueOf(text, 'agent_tray_agents_failed'), 1);
  assert.equal(valueOf(text, 'agent_tray_alerts_unread'), 3);
  assert.equal(valueOf(text, 'agent_tray_config_errors'), 1);
  assert.equal(valueOf(text, 'agent_tray_write_failures_total'), 4);
  assert.equal(valueOf(text, 'agent_tray_event_stream_clients'), 2);
  assert.equal(valueOf(text, 'agent_tray_uptime_seconds'), 60);
  assert.equal(valueOf(text, 'process_resident_memory_bytes'), 80 * MIB);
  assert.equal(valueOf(text, 'process_cpu_seconds_total'), 1.5);
  assert.equal(valueOf(text, 'process_start_time_seconds'), 1_699_999_999);
  assert.equal(valueOf(text, 'agent_tray_build_info', { version: '9.8.7', node_version: '20.20.2', platform: 'linux' }), 1);
});

test('a scrape shows the agents of its own snapshot: a removed agent\'s series go, also of counters; concurrent scrapes do not mix', async () => {
  const metrics = createMetricsRegistry(prom);
  const [both, one] = await Promise.all([metrics.render(snapshot()), metrics.render(snapshot({ agents: [web] }))]);
  assert.equal(samplesOf(both, 'agent_tray_agent_up').length, 3);
  assert.equal(samplesOf(one, 'agent_tray_agent_up').length, 1);
  assert.deepEqual(samplesOf(one, 'agent_tray_agent_restarts_total', { agent: 'worker' }), []);
  assert.equal(valueOf(one, 'agent_tray_agents'), 1);
  assert.match(metrics.contentType, /^text\/plain; version=0\.0\.4/);
});

test('every metric has HELP and a TYPE, and promtool check metrics finds nothing to say', async (t) => {
  const text = await createMetricsRegistry(prom).render(snapshot());
  const names = new Set(parseSamples(text).map((s) => s.name));
  assert.ok(names.size >= 25, `${names.size} metrics`);
  for (const name of names) {
    assert.match(text, new RegExp(`^# HELP ${name} \\S`, 'm'), name);
    assert.ok(typesOf(text).has(name), name);
    assert.ok(name.startsWith('agent_tray_') || name.startsWith('process_'), name);
  }
  const checked = await promtoolCheck(text);
  if (!checked) return t.skip(NO_PROMTOOL);
  assert.equal(checked.output, '', 'promtool reports no problem and no lint warning');
  assert.equal(checked.code, 0);
});

test('GPU memory: per agent only where its figure is known, per GPU in bytes, and promtool stays clean', async (t) => {
  const gpuWeb = status('gpu-web', { state: 'running', stats: { at: 1, cpuPercent: 1, memoryMB: 100, threads: null, fileHandles: null, processes: 1, gpuMemoryMB: 1536 } });
  const unused = status('unused', { state: 'running', stats: { at: 1, cpuPercent: 1, memoryMB: 100, threads: null, fileHandles: null, processes: 1, gpuMemoryMB: 0 } });
  const unknown = status('unknown', { state: 'running', stats: { at: 1, cpuPercent: 1, memoryMB: 100, threads: null, fileHandles: null, processes: 1, gpuMemoryMB: null } });
  const gpus = [
    { index: 0, totalMB: 24_576, usedMB: 2048 },
    { index: 1, totalMB: 8192, usedMB: null },
  ];
  const text = await createMetricsRegistry(prom).render(snapshot({ agents: [gpuWeb, unused, unknown, web], gpus }));

  assert.equal(valueOf(text, 'agent_tray_agent_gpu_memory_bytes', { agent: 'gpu-web' }), 1536 * MIB);
  assert.equal(valueOf(text, 'agent_tray_agent_gpu_memory_bytes', { agent: 'unused' }), 0, 'known and unused is 0');
  for (const name of ['unknown', 'web']) assert.deepEqual(samplesOf(text, 'agent_tray_agent_gpu_memory_bytes', { agent: name }), [], `${name}: not known, no series`);
  assert.equal(valueOf(text, 'agent_tray_gpu_memory_total_bytes', { gpu: '0' }), 24_576 * MIB);
  assert.equal(valueOf(text, 'agent_tray_gpu_memory_used_bytes', { gpu: '0' }), 2048 * MIB);
  assert.equal(valueOf(text, 'agent_tray_gpu_memory_total_bytes', { gpu: '1' }), 8192 * MIB);
  assert.deepEqual(samplesOf(text, 'agent_tray_gpu_memory_used_bytes', { gpu: '1' }), [], 'a GPU whose use is not known has no used series');
  assert.equal(typesOf(text).get('agent_tray_gpu_memory_used_bytes'), 'gauge');

  // no GPU known: no GPU series at all
  const none = await createMetricsRegistry(prom).render(snapshot());
  assert.deepEqual(samplesOf(none, 'agent_tray_gpu_memory_total_bytes', {}), []);
  assert.deepEqual(samplesOf(none, 'agent_tray_agent_gpu_memory_bytes', {}), []);

  const checked = await promtoolCheck(text);
  if (!checked) return t.skip(NO_PROMTOOL);
  assert.equal(checked.output, '', 'promtool reports no problem and no lint warning');
  assert.equal(checked.code, 0);
});

test('the tally counts automatic restarts since it started, not a person\'s starts or adopted counts', () => {
  const tally = new MetricsTally();
  const feed = (e: HostEvent) => tally.observe(e);
  const state = (name: string, from: AgentStatus['state'], to: AgentStatus['state'], restarts: number, kind: 'user' | 'policy' | 'adopted' = 'policy'): HostEvent => ({
    type: 'state',
    name,
    from,
    to,
    at: 1,
    reason: { kind, message: '' },
    status: status(name, { state: to, restarts }),
  });
  feed({ type: 'snapshot', at: 0, agents: [status('a', { state: 'backoff', restarts: 3 })] });
  assert.equal(tally.restarts('a'), 0, 'restarts before the tally started are not counted');
  feed(state('a', 'backoff', 'starting', 4));
  feed(state('a', 'starting', 'running', 4));
  feed(state('a', 'running', 'backoff', 4));
  feed(state('a', 'backoff', 'starting', 5));
  assert.equal(tally.restarts('a'), 2);
  // a person starts it: the status's count goes back to 0, the counter stays
  feed(state('a', 'crashed', 'starting', 0, 'user'));
  assert.equal(tally.restarts('a'), 2);
  feed(state('a', 'backoff', 'starting', 1));
  assert.equal(tally.restarts('a'), 3);
  // an agent taken back after a host restart brings its old count along: not a restart here
  feed({ type: 'agent-added', name: 'b', status: status('b') });
  feed(state('b', 'stopped', 'running', 7, 'adopted'));
  assert.equal(tally.restarts('b'), 0);
  feed(state('b', 'backoff', 'starting', 8));
  assert.equal(tally.restarts('b'), 1);

  const violation = (name: string, kind: 'memory' | 'cpu'): HostEvent => ({ type: 'limit-violated', name, violation: { at: 1, kind, value: 2, limit: 1, action: 'warn', message: '' } });
  feed(violation('a', 'memory'));
  feed(violation('a', 'memory'));
  feed(violation('a', 'cpu'));
  assert.equal(tally.violations('a', 'memory'), 2);
  assert.equal(tally.violations('a', 'cpu'), 1);
  assert.equal(tally.violations('a', 'runtime'), 0);

  feed({ type: 'agent-removed', name: 'a' });
  assert.equal(tally.restarts('a'), 0);
  assert.equal(tally.violations('a', 'memory'), 0);
});

test('the OpenAPI document lists GET /metrics, in the text format, with the token optional', () => {
  const doc = buildOpenApi({ version: '0' }) as { paths: Record<string, { get?: { security: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> } }> };
  const op = doc.paths['/metrics']?.get;
  assert.ok(op, 'GET /metrics is documented');
  assert.deepEqual(op.security, [{ bearer: [] }, {}]);
  assert.deepEqual(Object.keys(op.responses['200']?.content ?? {}), ['text/plain; version=0.0.4; charset=utf-8']);
});
