// The Prometheus metrics of a host, defined once with prom-client in a registry of their own (never
// prom-client's global one). Every value is read at scrape time, in the metrics' collect()
// callbacks, from one snapshot of what the host already knows (the statuses the sampler keeps
// fresh, the event tally, the alerts): a scrape starts no process scan of its own.
// GPU memory comes from the sampler's nvidia-smi reading: per agent where its figure is known, per GPU
// where the GPUs are known (docs/metrics.md).
import type * as PromClient from 'prom-client';
import { AGENT_STATES, HEALTH_STATES, LIMIT_KINDS, type AgentStatus } from '../../shared/status.js';
import type { LimitKind } from './metrics-tally.js';

/** Everything one scrape reports, read once before the registry renders. */
export interface MetricsSnapshot {
  agents: AgentStatus[];
  /** Automatic restarts of an agent since this host started. */
  restarts(name: string): number;
  /** Limit violations of an agent of one kind since this host started. */
  violations(name: string, kind: LimitKind): number;
  /** How long each agent's last finished run lasted, in seconds (agents with none are absent). */
  lastRunSeconds: ReadonlyMap<string, number>;
  alertsUnread: number;
  /** Configuration files (agents.json, settings.json) that do not load now. */
  configErrors: number;
  /** Failed writes (logs, history, state files) since this host started. */
  writeFailures: number;
  eventStreamClients: number;
  /** The NVIDIA GPUs' memory at the last sample, MB (absent or empty: none known). */
  gpus?: readonly { index: number; totalMB: number | null; usedMB: number | null }[];
  host: {
    version: string;
    /** When this host started (epoch ms). */
    startedAt: number;
    /** The time of the scrape (epoch ms). */
    now: number;
    residentMemoryBytes: number;
    /** User + system CPU time of the host process. */
    cpuSeconds: number;
    /** When the host process started (epoch seconds). */
    processStartSeconds: number;
    platform: string;
    nodeVersion: string;
  };
}

type Labels = Record<string, string>;
type Sample = readonly [Labels, number];

/** prom-client converts these; agents report MiB. */
const MIB = 1024 * 1024;

export interface MetricsRegistry {
  /** The text exposition of one snapshot. */
  render(snapshot: MetricsSnapshot): Promise<string>;
  /** The exposition's Content-Type (text/plain; version=0.0.4). */
  readonly contentType: string;
}

/** Builds the registry and its metrics with the prom-client module given (it is loaded at the first scrape). */
export function createMetricsRegistry(prom: typeof PromClient): MetricsRegistry {
  const registry = new prom.Registry();
  let current: MetricsSnapshot | null = null;
  const snap = (): MetricsSnapshot => {
    if (!current) throw new Error('internal: a metric was collected outside render()');
    return current;
  };

  /** A gauge whose series are exactly what `read` gives at each scrape. */
  const gauge = (name: string, help: string, labelNames: string[], read: (s: MetricsSnapshot) => Iterable<Sample>) =>
    new prom.Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [labels, value] of read(snap())) this.set(labels, value);
      },
    });

  /** A counter whose series are exactly what `read` gives at each scrape (the tally keeps the counts). */
  const counter = (name: string, help: string, labelNames: string[], read: (s: MetricsSnapshot) => Iterable<Sample>) =>
    new prom.Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [labels, value] of read(snap())) this.inc(labels, value);
      },
    });

  /** One sample per agent, with `value` of its status (agents for which it gives null are left out). */
  const perAgent =
    (value: (a: AgentStatus, s: MetricsSnapshot) => number | null) =>
    (s: MetricsSnapshot): Sample[] =>
      s.agents.flatMap((a) => {
        const v = value(a, s);
        return v === null ? [] : [[{ agent: a.name }, v] as const];
      });

  /** One sample per known GPU with its `field` in bytes (GPUs whose figure is not known are left out). */
  const perGpu = (s: MetricsSnapshot, field: 'totalMB' | 'usedMB'): Sample[] =>
    (s.gpus ?? []).flatMap((g) => {
      const mb = g[field];
      return mb === null ? [] : [[{ gpu: String(g.index) }, Math.round(mb * MIB)] as const];
    });

  gauge('agent_tray_build_info', 'Agent Tray\'s version and runtime; always 1', ['version', 'node_version', 'platform'], (s) => [
    [{ version: s.host.version, node_version: s.host.nodeVersion, platform: s.host.platform }, 1],
  ]);

  // per agent: state and health
  gauge('agent_tray_agent_state', 'The agent\'s lifecycle state: 1 for the state it is in, 0 for the others', ['agent', 'state'], (s) =>
    s.agents.flatMap((a) => AGENT_STATES.map((state) => [{ agent: a.name, state }, a.state === state ? 1 : 0] as const)),
  );
  gauge('agent_tray_agent_up', '1 while the agent is running, else 0', ['agent'], perAgent((a) => (a.state === 'running' ? 1 : 0)));
  gauge('agent_tray_agent_group_info', 'The groups an agent belongs to: one series of value 1 per agent and group', ['agent', 'group'], (s) =>
    s.agents.flatMap((a) => (a.groups ?? []).map((group) => [{ agent: a.name, group }, 1] as const)),
  );
  gauge('agent_tray_agent_healthy', '1 while the agent\'s health is healthy, else 0 (also without a health probe: see agent_tray_agent_health_state)', ['agent'], perAgent((a) => (a.health === 'healthy' ? 1 : 0)));
  gauge('agent_tray_agent_health_state', 'The agent\'s health: 1 for the one it has (unknown: no probe, or not running), 0 for the others', ['agent', 'health'], (s) =>
    s.agents.flatMap((a) => HEALTH_STATES.map((health) => [{ agent: a.name, health }, a.health === health ? 1 : 0] as const)),
  );
  gauge('agent_tray_agent_health_score', 'The agent\'s health score from 0 to 100: recent probe results, restarts and limit violations weighed together', ['agent'], perAgent((a) => a.healthScore));

  // per agent: what happened since this host started
  counter('agent_tray_agent_restarts_total', 'Automatic restarts of the agent (restart policy, failed health check, breached limit) since this host started', ['agent'], perAgent((a, s) => s.restarts(a.name)));
  counter('agent_tray_agent_limit_violations_total', 'Breaches of one of the agent\'s limits since this host started, by limit', ['agent', 'limit'], (s) =>
    s.agents.flatMap((a) => LIMIT_KINDS.map((limit) => [{ agent: a.name, limit }, s.violations(a.name, limit)] as const)),
  );

  // per agent: its run
  gauge('agent_tray_agent_uptime_seconds', 'How long the agent\'s current run has lasted; 0 when it does not run', ['agent'], perAgent((a) => (a.state === 'running' && a.uptimeMs !== null ? a.uptimeMs / 1000 : 0)));
  gauge('agent_tray_agent_start_time_seconds', 'When the agent\'s current or last run started, in seconds since the Unix epoch (absent before its first start)', ['agent'], perAgent((a) => (a.startedAt === null ? null : a.startedAt / 1000)));
  gauge('agent_tray_agent_last_run_duration_seconds', 'How long the agent\'s last finished run lasted (absent when no run is in the history)', ['agent'], perAgent((a, s) => s.lastRunSeconds.get(a.name) ?? null));

  // per agent: the latest resource sample of its whole process tree (absent while nothing runs)
  gauge('agent_tray_agent_cpu_ratio', 'CPU used by the agent\'s whole process tree at the latest sample, in cores: 1 is one core fully busy', ['agent'], perAgent((a) => (a.stats ? a.stats.cpuPercent / 100 : null)));
  gauge('agent_tray_agent_resident_memory_bytes', 'Resident memory of the agent\'s whole process tree at the latest sample', ['agent'], perAgent((a) => (a.stats ? Math.round(a.stats.memoryMB * MIB) : null)));
  gauge('agent_tray_agent_processes', 'Processes in the agent\'s tree at the latest sample', ['agent'], perAgent((a) => a.stats?.processes ?? null));
  gauge('agent_tray_agent_threads', 'Threads of the agent\'s whole process tree at the latest sample (where the platform reports them)', ['agent'], perAgent((a) => a.stats?.threads ?? null));
  gauge('agent_tray_agent_gpu_memory_bytes', 'GPU memory used by the agent\'s whole process tree at the latest sample (absent where not known: no NVIDIA GPU)', ['agent'], perAgent((a) => (typeof a.stats?.gpuMemoryMB === 'number' ? Math.round(a.stats.gpuMemoryMB * MIB) : null)));
  gauge('agent_tray_agent_open_fds', 'Open file handles of the agent\'s whole process tree at the latest sample (where the platform reports them)', ['agent'], perAgent((a) => a.stats?.fileHandles ?? null));

  // the host
  gauge('agent_tray_agents', 'Agents this host supervises', [], (s) => [[{}, s.agents.length]]);
  gauge('agent_tray_agents_running', 'Agents in the state running', [], (s) => [[{}, s.agents.filter((a) => a.state === 'running').length]]);
  gauge('agent_tray_agents_failed', 'Agents in the state crashed or errored', [], (s) => [[{}, s.agents.filter((a) => a.state === 'crashed' || a.state === 'errored').length]]);
  gauge('agent_tray_alerts_unread', 'Kept alerts nobody has marked read', [], (s) => [[{}, s.alertsUnread]]);
  gauge('agent_tray_config_errors', 'Configuration files (agents.json, settings.json) that do not load now; the last good content stays in force', [], (s) => [[{}, s.configErrors]]);
  counter('agent_tray_write_failures_total', 'Writes that failed since this host started (an agent\'s log on a full disk, the run history, a state file)', [], (s) => [[{}, s.writeFailures]]);
  gauge('agent_tray_event_stream_clients', 'Clients connected to the event stream (GET /api/events)', [], (s) => [[{}, s.eventStreamClients]]);
  gauge('agent_tray_uptime_seconds', 'How long this host has been up', [], (s) => [[{}, Math.max(0, (s.host.now - s.host.startedAt) / 1000)]]);

  gauge('agent_tray_gpu_memory_total_bytes', 'Memory of each NVIDIA GPU (absent where no GPU is known)', ['gpu'], (s) => perGpu(s, 'totalMB'));
  gauge('agent_tray_gpu_memory_used_bytes', 'Memory in use on each NVIDIA GPU at the latest sample, by any process (absent where no GPU is known)', ['gpu'], (s) => perGpu(s, 'usedMB'));

  // the host process, under the names every Prometheus client library gives them
  gauge('process_resident_memory_bytes', 'Resident memory of the Agent Tray host process', [], (s) => [[{}, s.host.residentMemoryBytes]]);
  counter('process_cpu_seconds_total', 'User and system CPU time of the Agent Tray host process', [], (s) => [[{}, s.host.cpuSeconds]]);
  gauge('process_start_time_seconds', 'When the Agent Tray host process started, in seconds since the Unix epoch', [], (s) => [[{}, s.host.processStartSeconds]]);

  // scrapes render one after the other: the collect() callbacks read the one snapshot in `current`
  let queue: Promise<unknown> = Promise.resolve();
  return {
    contentType: registry.contentType,
    render(snapshot) {
      const rendered = queue.then(async () => {
        current = snapshot;
        try {
          return await registry.metrics();
        } finally {
          current = null;
        }
      });
      queue = rendered.catch(() => undefined);
      return rendered;
    },
  };
}
