// PM2 ecosystem files (the `apps` of a .json, .yaml or evaluated .config.js): script, args and
// interpreter, cwd, env, restart settings, kill_timeout, max_memory_restart as a memory limit with
// action restart, namespace as a group, and `instances: N` as N agents (`name-0` …, each with
// NODE_APP_INSTANCE, in one group). env_production and other env_* sets are named, not applied.
import path from 'node:path';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import { isRecord } from './detect.js';
import { memoryMB, pm2RestartOf, programOf } from './pm2-settings.js';
import { folderOf } from './folders.js';
import type { NotCarried, ParseContext, ParsedAgent, ParsedFile } from './types.js';

/** App settings that are carried over. */
const CARRIED = new Set([
  'name', 'script', 'args', 'interpreter', 'interpreter_args', 'node_args', 'cwd', 'env', 'autorestart', 'max_restarts', 'min_uptime',
  'restart_delay', 'exp_backoff_restart_delay', 'stop_exit_codes', 'max_memory_restart', 'kill_timeout', 'instances', 'exec_mode',
  'namespace', 'autostart', 'instance_var', 'kill_signal',
]);

/** The signals an agent may be stopped with first. */
const STOP_SIGNALS = new Set<string>(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']);

/** Why an app setting without a counterpart here is left out. */
const NOT_CARRIED: Record<string, string> = {
  watch: 'Agent Tray does not restart agents when files change',
  ignore_watch: 'Agent Tray does not restart agents when files change',
  watch_delay: 'Agent Tray does not restart agents when files change',
  cron_restart: 'Agent Tray does not restart agents on a schedule',
  wait_ready: 'an agent is ready when a line matches its readyLine or its health probe passes; set one of those',
  listen_timeout: 'an agent is ready when a line matches its readyLine or its health probe passes; set one of those',
  shutdown_with_message: 'set stop.stdin to ask the agent to stop with a line on its stdin',
  log_file: 'Agent Tray keeps each agent\'s output in its own log files (agent-tray paths shows where)',
  out_file: 'Agent Tray keeps each agent\'s output in its own log files (agent-tray paths shows where)',
  error_file: 'Agent Tray keeps each agent\'s output in its own log files (agent-tray paths shows where)',
  combine_logs: 'Agent Tray keeps stdout and stderr apart and shows them together',
  merge_logs: 'Agent Tray keeps stdout and stderr apart and shows them together',
  log_date_format: 'Agent Tray stamps lines with the time it read them',
  time: 'Agent Tray stamps lines with the time it read them',
  pid_file: 'Agent Tray keeps its own PID files',
  source_map_support: 'a Node option PM2 injects; add --enable-source-maps to the arguments if wanted',
  treekill: 'Agent Tray always stops the whole process tree',
  vizion: 'PM2\'s version-control metadata',
  post_update: 'PM2\'s version-control metadata',
  force: 'Agent Tray never starts an agent twice',
  filter_env: 'agents get Agent Tray\'s environment with their env on top',
  increment_var: 'set a distinct value per agent in its env',
};

/** The apps of an ecosystem document: `{ apps: [...] }`, `{ apps: {...} }` or a bare list. */
function appsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (isRecord(doc)) {
    if (Array.isArray(doc.apps)) return doc.apps;
    if (isRecord(doc.apps)) return [doc.apps];
  }
  return [];
}

/** An env map with its values as strings (PM2 allows numbers and booleans). */
function envOf(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]));
}

/** The agents of a PM2 ecosystem document; `notes` come first (from the evaluation of a .js file). */
export function parsePm2(doc: unknown, ctx: ParseContext, notes: string[] = []): ParsedFile {
  const apps = appsOf(doc);
  if (apps.length === 0) notes.push('The file has no apps');
  if (isRecord(doc) && doc.deploy !== undefined) notes.push('deploy was not carried over: Agent Tray runs agents on this computer; see "Moving beyond one machine" in the docs for servers');
  const agents: ParsedAgent[] = [];
  apps.forEach((app, i) => {
    if (!isRecord(app)) notes.push(`apps[${i}] was skipped: it is not an object`);
    else agents.push(...appAgents(app, i, ctx, notes));
  });
  return { format: 'pm2', agents, notes, missingFiles: [] };
}

/** One app as its agent, or as one agent per instance. */
function appAgents(app: Record<string, unknown>, index: number, ctx: ParseContext, notes: string[]): ParsedAgent[] {
  const out: NotCarried[] = [];
  const script = typeof app.script === 'string' ? app.script : '';
  const name = typeof app.name === 'string' && app.name ? app.name : script ? path.basename(script, path.extname(script)) : `app-${index}`;
  const { command, args } = programOf(app, out);
  const definition: AgentDefinitionInput = { name, command, args, env: envOf(app.env) };
  const cwd = folderOf(app.cwd, 'cwd', ctx, out);
  if (cwd) definition.cwd = cwd;
  definition.autostart = app.autostart !== false;
  definition.restart = pm2RestartOf(app, out);
  definition.stop = stopOf(app, out);
  if (app.max_memory_restart !== undefined) {
    const mb = memoryMB(app.max_memory_restart);
    if (mb === null) out.push({ field: 'max_memory_restart', reason: `"${String(app.max_memory_restart)}" is not a size such as "300M" or "1G"` });
    else definition.limits = { maxMemoryMB: mb, action: 'restart' };
  }
  if (typeof app.namespace === 'string' && app.namespace && app.namespace !== 'default') definition.groups = [app.namespace.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64)];
  for (const key of Object.keys(app)) {
    if (CARRIED.has(key)) continue;
    if (/^env_./.test(key)) {
      notes.push(`${name}: ${key} was not applied (PM2 uses it with --env ${key.slice(4)}); the agent has the variables of env. Copy what you need into its env`);
      continue;
    }
    out.push({ field: key, reason: NOT_CARRIED[key] ?? 'not a setting Agent Tray has' });
  }
  if (app.exec_mode === 'cluster' || app.exec_mode === 'cluster_mode') {
    out.push({ field: 'exec_mode', reason: 'cluster mode shares one port among instances through Node\'s cluster module; here each instance is a process of its own, which needs its own port (NODE_APP_INSTANCE says which instance it is)' });
  }
  return instances(name, definition, out, app);
}

/** kill_signal (PM2 sends SIGINT unless told otherwise) and kill_timeout as stop settings. */
function stopOf(app: Record<string, unknown>, out: NotCarried[]): NonNullable<AgentDefinitionInput['stop']> {
  const wanted = typeof app.kill_signal === 'string' ? app.kill_signal.toUpperCase() : 'SIGINT';
  const signal = STOP_SIGNALS.has(wanted) ? wanted : 'SIGINT';
  if (signal !== wanted) out.push({ field: 'kill_signal', reason: `${String(app.kill_signal)} is not a signal an agent can be stopped with first (${[...STOP_SIGNALS].join(', ')}); it gets SIGINT, as under PM2` });
  const stop: NonNullable<AgentDefinitionInput['stop']> = { signal: signal as NonNullable<AgentDefinitionInput['stop']>['signal'] };
  if (typeof app.kill_timeout === 'number') stop.timeoutMs = Math.min(600_000, Math.max(0, Math.round(app.kill_timeout)));
  return stop;
}

/** `instances: N` as N agents `name-0` … `name-(N-1)`, each with NODE_APP_INSTANCE (or instance_var), in the group `name`; "max" and other counts stay one agent. */
function instances(name: string, definition: AgentDefinitionInput, out: NotCarried[], app: Record<string, unknown>): ParsedAgent[] {
  const raw = app.instances;
  const count = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw === undefined ? 1 : Number.NaN;
  if (!(Number.isInteger(count) && count >= 1)) {
    out.push({ field: 'instances', reason: `"${String(raw)}" depends on the computer it runs on (the number of cores); one agent was made: duplicate it for more` });
    return [{ source: name, definition, notCarried: out }];
  }
  if (count === 1) return [{ source: name, definition, notCarried: out }];
  if (count > 64) {
    out.push({ field: 'instances', reason: `${count} instances is more than 64 agents; one agent was made: duplicate it for more` });
    return [{ source: name, definition, notCarried: out }];
  }
  const variable = typeof app.instance_var === 'string' && app.instance_var ? app.instance_var : 'NODE_APP_INSTANCE';
  const group = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64) || 'app';
  return Array.from({ length: count }, (_, i) => ({
    source: `${name}-${i}`,
    replicaOf: name,
    definition: { ...definition, name: `${name}-${i}`, env: { ...definition.env, [variable]: String(i) }, groups: [...new Set([...(definition.groups ?? []), group])] },
    notCarried: [...out, { field: 'instances', reason: `one agent per instance (${count}), each with ${variable}, in the group "${group}"` }],
  }));
}
