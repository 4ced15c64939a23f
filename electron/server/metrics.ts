// GET /metrics: the host's Prometheus metrics (metrics-collector.ts), read through the command
// table like every other route. It needs the API token, unless settings.json says
// `"metrics": { "public": true }` and the host listens on loopback only: then a Prometheus on this
// machine may scrape it without one. On any other address that setting is ignored with a warning
// (an open /metrics would tell the network which programs run here). prom-client is loaded at the
// first scrape, so a host nobody scrapes does not carry it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppApi } from '../app/application.js';
import { isLoopbackHost } from './host-check.js';
import { createMetricsRegistry, type MetricsRegistry, type MetricsSnapshot } from './metrics-collector.js';
import { MetricsTally } from './metrics-tally.js';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteOptions {
  app: AppApi;
  /** The address the API listens on (decides whether `metrics.public` may apply). */
  host: string;
  version: string;
  /** How many clients the event stream has now. */
  eventStreamClients(): number;
  /** Lines for the operator (the warning about `metrics.public` off loopback). */
  log(line: string): void;
}

export interface MetricsRoute {
  /** True for a request that the /metrics route answers. */
  matches(req: FastifyRequest): boolean;
  /** True when /metrics may answer without the token now: `metrics.public` is set and the host listens on loopback. */
  isPublic(): Promise<boolean>;
  /** The hint of a 401 on /metrics: how to give Prometheus the token, or do without. */
  tokenHint(tokenFile: string | undefined): string;
}

/** The snapshot one scrape reports, from the command table and the tally. */
async function readSnapshot(app: AppApi, tally: MetricsTally, opts: MetricsRouteOptions, startedAt: number): Promise<MetricsSnapshot> {
  const [{ agents }, { alerts }, summary] = await Promise.all([app.dispatch('listAgents', {}), app.dispatch('listAlerts', {}), app.dispatch('summary', {})]);
  // the history is in memory: the newest run of each agent is a short scan
  const newest = await Promise.all(agents.map((a) => app.dispatch('history', { agent: a.name, limit: 1 })));
  const lastRunSeconds = new Map<string, number>();
  newest.forEach(({ runs }, i) => {
    const run = runs[0];
    if (run) lastRunSeconds.set((agents[i] as { name: string }).name, run.durationMs / 1000);
  });
  const cpu = process.cpuUsage();
  return {
    agents,
    restarts: (name) => tally.restarts(name),
    violations: (name, kind) => tally.violations(name, kind),
    lastRunSeconds,
    alertsUnread: alerts.filter((a) => a.read !== true).length,
    configErrors: summary.configErrors,
    writeFailures: summary.writeFailures,
    eventStreamClients: opts.eventStreamClients(),
    gpus: summary.gpus ?? [],
    host: {
      version: opts.version,
      startedAt,
      now: Date.now(),
      residentMemoryBytes: process.memoryUsage.rss(),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      processStartSeconds: performance.timeOrigin / 1000,
      platform: process.platform,
      nodeVersion: process.versions.node,
    },
  };
}

/** Registers GET /metrics on `fastify`; the token check stays with the caller (it asks `isPublic`). */
export function registerMetricsRoute(fastify: FastifyInstance, opts: MetricsRouteOptions): MetricsRoute {
  const startedAt = Date.now();
  const loopback = isLoopbackHost(opts.host);
  const tally = new MetricsTally();
  let off: (() => void) | null = null;
  let warned = false;

  /** The setting `metrics.public` now (false when the settings cannot be read). */
  const publicSetting = async (): Promise<boolean> => {
    try {
      return (await opts.app.dispatch('getSettings', {})).settings.metrics?.public === true;
    } catch {
      return false;
    }
  };

  let registry: Promise<MetricsRegistry> | null = null;
  /** prom-client and the registry, at the first scrape; the counters follow the host's events from then on. */
  const load = () => {
    off ??= opts.app.subscribe((event) => tally.observe(event));
    return (registry ??= import('prom-client').then((prom) => createMetricsRegistry(prom)));
  };

  fastify.get(METRICS_PATH, async (_req, reply) => {
    const metrics = await load();
    const text = await metrics.render(await readSnapshot(opts.app, tally, opts, startedAt));
    return reply.type(metrics.contentType).send(text);
  });
  fastify.addHook('onClose', async () => {
    off?.();
  });

  return {
    matches: (req) => req.routeOptions.url === METRICS_PATH,
    async isPublic() {
      const wanted = await publicSetting();
      if (loopback) return wanted;
      // off loopback the setting never applies; the operator hears why once each time it is turned on
      if (wanted && !warned) {
        opts.log(
          `agent-tray: warning: settings.json has "metrics": { "public": true }, but the API listens on ${opts.host}, not only on this machine, so /metrics still needs the token. ` +
            'Give Prometheus the token (authorization: credentials_file in its scrape config), or listen on 127.0.0.1 to scrape without it.',
        );
      }
      warned = wanted;
      return false;
    },
    tokenHint(tokenFile) {
      const file = tokenFile ?? 'the file api-token of the data directory';
      return (
        `Send the header \`Authorization: Bearer TOKEN\`; the token is in ${file} (Prometheus: authorization: { credentials_file: ${file} } in the scrape config). ` +
        (loopback
          ? 'Or let a Prometheus on this machine scrape without it: "metrics": { "public": true } in settings.json.'
          : `"metrics": { "public": true } does not apply here: this host listens on ${opts.host}, not only on this machine.`)
      );
    },
  };
}
