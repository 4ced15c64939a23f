// The command table: one handler per command of shared/commands.ts, each input validated with the
// shared schema before its handler runs. Hosts never implement a command themselves.
import { COMMANDS, type CommandArgs, type CommandName, type CommandResult } from '../../shared/commands.js';
import { formatIssues } from '../../shared/issues.js';
import type { Settings } from '../../shared/settings.js';
import type { AgentStatus } from '../../shared/status.js';
import { discoverAgents } from '../core/discovery.js';
import { AgentTrayError } from '../core/errors.js';
import { describeOrphans } from '../core/orphan-facts.js';
import { cleanupOrphans, findOrphans } from '../core/orphans.js';
import { searchLogFiles, type LogSearchMatch } from '../core/logs/search.js';
import { logFiles } from '../core/paths.js';
import { isActive } from '../core/state-machine.js';
import type { AgentTrayApp } from './application.js';
import { forAll, statusAfter } from './bulk.js';
import { refuseIfDependedOn } from './agent-store.js';
import { checkSandbox } from './sandbox.js';
import { stackHandlers } from './stack-commands.js';
import { checkSecretNames, searchMatchMasker, secretHandlers } from './secret-commands.js';
import { ensureRunning } from './ensure.js';
import { exportAgents, findProgram } from './export/index.js';
import { importAgents } from './import/import-agents.js';
import { updateAgent } from './update-agent.js';
import { gpuTotals } from './gpu-summary.js';

/** What a transport may give a command besides its input: word that the client went away, and a sink for results found before the answer is complete (a streaming answer). */
export interface CommandContext {
  signal?: AbortSignal;
  /** searchLogs: each match as it is found; a promise holds the search until it settles (backpressure). */
  onLogMatch?: (match: LogSearchMatch) => void | Promise<void>;
}

export type Handlers = { [C in CommandName]: (args: CommandArgs<C>, context?: CommandContext) => Promise<CommandResult<C>> };

/** Settings without the `$schema` key an editor may have put in settings.json. */
function withoutSchemaLink(settings: Settings): Omit<Settings, '$schema'> {
  const rest: Settings = { ...settings };
  delete rest.$schema;
  return rest;
}

/** The handlers of every command, bound to one application. */
export function createHandlers(app: AgentTrayApp): Handlers {
  const engine = app.engine;
  const sandboxContext = () => ({ platform: app.platform, dataDir: engine.paths.root, env: app.env, settingsFile: app.settingsFile });
  const applyDefinitions = () => engine.setDefinitions(app.store.list());

  return {
    listAgents: async () => ({ agents: engine.list() }),
    getAgent: async ({ name }) => engine.status(name),
    getDefinition: async ({ name }) => app.store.get(name),
    ...secretHandlers(app),

    createAgent: async ({ definition }) => {
      checkSandbox(definition, app.settings.sandbox, sandboxContext());
      checkSecretNames(app, definition);
      await app.store.create(definition);
      applyDefinitions();
      const status = engine.status(definition.name);
      app.publish({ type: 'agent-added', name: definition.name, status });
      return status;
    },

    // a rename moves the agent's logs and runs; restart=true stops, changes and starts it (update-agent.ts)
    updateAgent: async (args) => {
      app.store.get(args.name); // unknown-agent before anything else
      checkSandbox(args.definition, app.settings.sandbox, sandboxContext());
      checkSecretNames(app, args.definition);
      return updateAgent(app, args);
    },

    importAgents: (args) => importAgents(app, args),

    removeAgent: async ({ name, stop }) => {
      app.store.get(name);
      refuseIfDependedOn(app.store.list(), name, 'removed'); // before a stop, so a refusal stops nothing
      let stopped = null;
      if (isActive(engine.status(name).state)) {
        if (!stop) {
          throw new AgentTrayError('conflict', `Agent "${name}" is running; it was not removed`, { hint: 'Stop it first, or remove it with stop=true', details: { name } });
        }
        stopped = await engine.stop(name);
      }
      await app.store.remove(name);
      applyDefinitions();
      await engine.secrets?.removeAgent(name).catch(() => undefined); // its secrets go with it (a store that cannot be read keeps them)
      app.publish({ type: 'agent-removed', name });
      return { removed: name, stopped };
    },

    startAgent: ({ name }) => statusAfter(app, name, () => engine.start(name)),
    restartAgent: ({ name }) => statusAfter(app, name, () => engine.restart(name)),
    killAgent: async ({ name }) => {
      const stop = await engine.kill(name);
      return { ...engine.status(name), stop };
    },
    ensureAgent: ({ name, timeoutMs }) => ensureRunning(engine, name, timeoutMs),

    // all at once: the engine starts each agent after its dependencies
    startAll: () => forAll(app, (n) => statusAfter(app, n, () => engine.start(n))),
    ...stackHandlers(app),
    // kill-all includes agents removed from agents.json that still run
    killAll: async () => {
      const killedPids: number[] = [];
      const result = await forAll(
        app,
        async (n) => {
          const stop = await engine.kill(n);
          killedPids.push(...stop.pids);
          return engine.status(n);
        },
        engine.list().map((s) => s.name),
      );
      return { ...result, killedPids: killedPids.sort((a, b) => a - b) };
    },

    searchLogs: async (args, context) => {
      engine.status(args.name); // unknown-agent
      const mask = await searchMatchMasker(app, args.name); // the files hold what the agent wrote; secrets leave as ***
      const onMatch = context?.onLogMatch;
      const hooks = { ...(context?.signal ? { signal: context.signal } : {}), ...(onMatch ? { onMatch: (m: LogSearchMatch) => onMatch(mask(m)) } : {}) };
      const found = await searchLogFiles({ ...args, files: logFiles(engine.paths, args.name, app.platform) }, hooks);
      return { ...found, matches: found.matches.map(mask) };
    },
    agentLogs: async ({ name, lines, stream }) => ({
      lines: engine.logs(name, stream === 'all' ? 'both' : stream, lines).map((l) => ({ ts: new Date(l.at).toISOString(), stream: l.stream, text: l.text })),
    }),

    summary: async () => {
      const all = engine.list();
      const count = (state: AgentStatus['state']) => all.filter((s) => s.state === state).length;
      const active = engine.activeAgents();
      const max = engine.maxConcurrent; // null: no limit
      const round1 = (n: number) => Math.round(n * 10) / 10;
      return {
        total: all.length,
        running: count('running'),
        stopped: count('stopped'),
        crashed: count('crashed'),
        errored: count('errored'),
        activeProcesses: active.length,
        maxConcurrent: max,
        utilizationPercent: max === null ? null : round1((active.length / max) * 100),
        canStartNew: max === null || active.length < max,
        activePids: active.map((s) => s.pid).filter((p): p is number => p !== null),
        totalCpuPercent: round1(active.reduce((sum, s) => sum + (s.stats?.cpuPercent ?? 0), 0)),
        totalMemoryMB: round1(active.reduce((sum, s) => sum + (s.stats?.memoryMB ?? 0), 0)),
        ...gpuTotals(active, app.supervisor.sampler.gpus()),
        healthy: all.filter((s) => s.health === 'healthy').length,
        unhealthy: all.filter((s) => s.health === 'unhealthy' || s.health === 'zombie').length,
        configErrors: app.configStatus().filter((f) => !f.ok).length,
        writeFailures: app.alerts.ioErrors().total,
      };
    },

    getLimits: async () => ({ maxConcurrent: engine.maxConcurrent, activeProcesses: engine.activeCount() }),
    setLimits: ({ maxConcurrent }) => app.setMaxConcurrent(maxConcurrent),
    agentStats: async ({ name, since }) => {
      engine.status(name); // unknown-agent
      return { samples: app.supervisor.history(name, since) };
    },
    agentViolations: async ({ name }) => {
      engine.status(name);
      return { violations: app.supervisor.violations(name) };
    },
    listAlerts: async ({ since, agent, severity }) => ({
      alerts: app.alerts.list({ since, ...(agent ? { agent } : {}), ...(severity ? { severity } : {}) }).map((a) => ({ ...a, read: a.read ?? false })),
    }),
    // every window and client hears of a change, so their unread counts agree
    markAlertsRead: async ({ ids }) => {
      const marked = app.alerts.markReadIds(ids);
      if (marked.length > 0) app.publish({ type: 'alerts-read', ids: marked });
      return { marked: marked.length };
    },
    clearAlerts: async () => {
      const cleared = app.alerts.clear();
      if (cleared > 0) app.publish({ type: 'alerts-cleared' });
      return { cleared };
    },
    history: async ({ agent, limit }) => ({
      runs: app.history.list({ ...(agent ? { agent } : {}), limit }),
      inProgress: app.recorder.openRuns().filter((r) => !agent || r.name === agent),
    }),
    exportAgents: async ({ to, names, image }) =>
      exportAgents({ to, names: names ?? [], image: image ?? [] }, { agents: app.store.list(), defaults: app.settings.defaults, dataDir: engine.paths.root, env: app.env, platform: app.platform, which: findProgram }),
    getConfig: async () => ({ files: app.configStatus() }),
    getSettings: async () => ({
      settings: withoutSchemaLink(app.settings),
      startAtLogin: app.desktop ? await app.desktop.getStartAtLogin() : null,
      settingsFile: app.settingsFile,
      ...(engine.secrets ? { secrets: engine.secrets.info() } : {}),
    }),
    updateSettings: async ({ changes }) => {
      const { settings, appliesAfterRestart } = await app.changeSettings(changes);
      return { settings: withoutSchemaLink(settings), appliesAfterRestart };
    },
    setStartAtLogin: async ({ enabled }) => {
      if (!app.desktop) {
        throw new AgentTrayError('conflict', 'Start at login is a setting of the Agent Tray desktop app; this host is `agent-tray serve`', {
          hint: 'Start `agent-tray serve` from your service manager instead (a systemd user unit, a launchd agent, or a Task Scheduler task at logon)',
        });
      }
      return { startAtLogin: await app.desktop.setStartAtLogin(enabled) };
    },
    openLogFolder: async ({ name }) => {
      engine.status(name); // unknown agents are refused with the list of known ones
      const files = logFiles(engine.paths, name, app.platform);
      app.desktop?.showInFolder(files.stdout);
      return { folder: engine.paths.logs, stdout: files.stdout, stderr: files.stderr, opened: app.desktop !== null };
    },
    discover: async () => ({ results: await discoverAgents(engine, { platform: app.platform }) }),
    listOrphans: async () => ({ orphans: await describeOrphans(await findOrphans(engine, app.platform), app.platform) }),
    cleanupOrphans: async () => ({ stopped: await cleanupOrphans(engine, await findOrphans(engine, app.platform), app.platform) }),
    stopOrphan: async ({ pid }) => {
      const orphan = (await findOrphans(engine, app.platform)).find((o) => o.pid === pid);
      if (!orphan) throw new AgentTrayError('not-found', `Process ${pid} is not an orphan of Agent Tray`, { hint: 'It has ended, is supervised again, or was never ours: list them with GET /api/orphans', details: { pid } });
      const [stopped] = await cleanupOrphans(engine, [orphan], app.platform);
      return { stopped: stopped! };
    },
  };
}

/** Validates `input` for command `name` and runs its handler; bad input is a `bad-request` naming the field. */
export async function dispatchCommand<C extends CommandName>(handlers: Handlers, name: C, input: unknown, context?: CommandContext): Promise<CommandResult<C>> {
  const spec = COMMANDS[name];
  if (!spec) throw new AgentTrayError('not-found', `Unknown command "${String(name)}"`);
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    // a field sent as the whole body (the definition) is named as the client sent it: `port`, not `definition.port`
    const body = (spec.http as { body?: string }).body;
    const problems = formatIssues(parsed.error).map((line) => (body && line.startsWith(`${body}.`) ? line.slice(body.length + 1) : body && line.startsWith(`${body}:`) ? `(body)${line.slice(body.length)}` : line));
    throw new AgentTrayError('bad-request', `Invalid request for ${name}: ${problems.join('; ')}`, { details: { issues: problems } });
  }
  const handler = handlers[name] as (args: unknown, context?: CommandContext) => Promise<CommandResult<C>>;
  return handler(parsed.data, context);
}
