// process-compose.yaml: each process becomes an agent with its command (through the file's shell,
// bash by default, unless the line needs none), working_dir, environment (a list or a map) over its
// env_file(s) and the file's global ones, depends_on with its conditions, probes, availability,
// shutdown, ready_log_line and replicas; disabled processes do not start with Agent Tray.
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import { escapeRegExp } from '../../../shared/regexp.js'; // process-compose's ready_log_line is plain text
import { isRecord } from './detect.js';
import { envFileField, locateEnvFiles, type EnvFilesResult } from './env-files.js';
import { dependsOnOf, healthOf, restartOf, stopOf, type Shell } from './process-compose-settings.js';
import { folderOf } from './folders.js';
import { commandOfLine } from './shell-words.js';
import type { NotCarried, ParseContext, ParsedAgent, ParsedFile } from './types.js';

/** Process settings that are carried over (the rest are listed as not carried). */
const CARRIED = new Set([
  'command', 'entrypoint', 'working_dir', 'environment', 'env_file', 'depends_on', 'readiness_probe', 'liveness_probe',
  'availability', 'shutdown', 'disabled', 'description', 'namespace', 'ready_log_line', 'replicas',
]);

/** Why a process setting that has no counterpart here is left out. */
const NOT_CARRIED: Record<string, string> = {
  log_location: 'Agent Tray keeps each agent\'s output in its own log files (agent-tray paths shows where)',
  log_configuration: 'Agent Tray rotates agent logs by its own settings',
  disable_ansi_colors: 'the window shows colours, and `agent-tray logs` strips them when not writing to a terminal',
  is_daemon: 'a process that forks into the background and exits leaves nothing to supervise; run it in the foreground',
  is_tty: 'agents run without a terminal',
  is_interactive: 'agents run without a terminal',
  is_foreground: 'agents run without a terminal',
  is_elevated: 'Agent Tray runs agents as you, never elevated',
  launch_timeout_seconds: 'an agent counts as started once its process runs',
  vars: 'template variables ({{.NAME}}) are not expanded; the values stay as written',
};

/** Env variables of `environment`: a list of "KEY=value" or a map. */
function environmentOf(value: unknown, field: string, out: NotCarried[]): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = String(entry);
      const eq = text.indexOf('=');
      if (eq <= 0) out.push({ field, reason: `"${text}" is not KEY=value` });
      else env[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) env[k] = v === null || v === undefined ? '' : String(v);
  }
  return env;
}

/** env_file as a list of names (one string or a list). */
function envFileNames(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.map(String) : [];
}

/** The shell commands run through: the file's `shell`, else bash -c (cmd /C on Windows), as process-compose does. */
function shellOf(doc: Record<string, unknown>, platform: NodeJS.Platform): Shell {
  const shell = isRecord(doc.shell) ? doc.shell : {};
  if (typeof shell.shell_command === 'string' && shell.shell_command) {
    return { command: shell.shell_command, argument: typeof shell.shell_argument === 'string' ? shell.shell_argument : '-c' };
  }
  return platform === 'win32' ? { command: 'cmd', argument: '/C' } : { command: 'bash', argument: '-c' };
}

/** The agents of a parsed process-compose.yaml. */
export function parseProcessCompose(raw: Record<string, unknown>, ctx: ParseContext): ParsedFile {
  // process-compose reads `$$` in its file as a literal `$` (its escape for the variables it expands on load)
  const doc = unescapeDollars(raw) as Record<string, unknown>;
  const notes: string[] = [];
  const missing = new Set<string>();
  const processes = isRecord(doc.processes) ? doc.processes : {};
  const shell = shellOf(doc, ctx.platform);
  const globalOut: NotCarried[] = [];
  const globalFiles = locateEnvFiles(envFileNames(doc.env_file), ctx);
  globalFiles.missing.forEach((m) => missing.add(m));
  for (const m of globalFiles.missing) notes.push(`env_file ${m} was not found, so its variables are missing from every agent`);
  const globalEnv = { ...globalFiles.env, ...environmentOf(doc.environment, 'environment', globalOut) };
  for (const n of globalOut) notes.push(`${n.field}: ${n.reason}`);
  for (const key of ['log_location', 'log_level', 'log_configuration', 'env_cmds', 'vars', 'extends']) {
    if (doc[key] !== undefined) notes.push(`${key} was not carried over: ${key === 'env_cmds' ? 'commands that compute variables are not run at import' : key === 'extends' ? 'the file it extends was not read; import that one too' : 'Agent Tray keeps its own logs and settings'}`);
  }
  if (/\$\{?[A-Za-z_]/.test(JSON.stringify(processes))) {
    notes.push('process-compose expands $VARIABLES in this file when it loads it; they were kept as written (a command\'s shell expands them from the agent\'s env at start)');
  }

  const known = new Set(Object.keys(processes));
  const agents: ParsedAgent[] = [];
  for (const [name, value] of Object.entries(processes)) {
    if (!isRecord(value)) {
      notes.push(`Process "${name}" was skipped: it is not a mapping of settings`);
      continue;
    }
    agents.push(...processAgents(name, value, { ctx, shell, globalEnv, globalFiles, known, missing }));
  }
  weakenHealthyWithoutProbe(agents);
  return { format: 'process-compose', agents, notes, missingFiles: [...missing] };
}

interface ProcessScope {
  ctx: ParseContext;
  shell: Shell;
  globalEnv: Record<string, string>;
  globalFiles: EnvFilesResult;
  known: ReadonlySet<string>;
  missing: Set<string>;
}

/** One process as an agent, or as one agent per replica. */
function processAgents(name: string, proc: Record<string, unknown>, scope: ProcessScope): ParsedAgent[] {
  const { ctx } = scope;
  const out: NotCarried[] = [];
  const files = locateEnvFiles(envFileNames(proc.env_file), ctx);
  files.missing.forEach((m) => scope.missing.add(m));
  for (const m of files.missing) out.push({ field: 'env_file', reason: `${m} was not found${ctx.dir ? ` in ${ctx.dir}` : ' (the file\'s folder was not given, nor the file)'}, so its variables are missing` });
  if (files.copied.length || scope.globalFiles.copied.length) {
    out.push({ field: 'env_file', reason: `the values of ${[...scope.globalFiles.copied, ...files.copied].join(', ')} were copied into env, since the files are not on this computer where the agent could read them at each start` });
  }
  const env = { ...scope.globalEnv, ...files.env, ...environmentOf(proc.environment, 'environment', out) };
  const envFile = envFileField([...scope.globalFiles.envFile, ...files.envFile]);

  let command = '';
  let args: string[] = [];
  if (typeof proc.command === 'string' && proc.command.trim()) {
    ({ command, args } = commandOfLine(proc.command, ctx.platform, scope.shell));
    if (Array.isArray(proc.entrypoint)) out.push({ field: 'entrypoint', reason: 'command and entrypoint are both set; process-compose runs command, and so does the agent' });
  } else if (Array.isArray(proc.entrypoint) && proc.entrypoint.length > 0) {
    [command = '', ...args] = proc.entrypoint.map(String);
  }

  const definition: AgentDefinitionInput = { name, command, args, env, ...(envFile ? { envFile } : {}) };
  if (typeof proc.description === 'string' && proc.description) definition.description = proc.description.slice(0, 500);
  const cwd = folderOf(proc.working_dir, 'working_dir', ctx, out);
  if (cwd) definition.cwd = cwd;
  definition.autostart = proc.disabled !== true;
  definition.restart = restartOf(proc.availability, out);
  const health = healthOf(proc, ctx.platform, scope.shell, out);
  if (health) definition.health = health;
  const stop = stopOf(proc.shutdown, ctx.platform, scope.shell, out);
  if (stop) definition.stop = stop;
  const dependsOn = dependsOnOf(proc.depends_on, scope.known, out);
  if (dependsOn) definition.dependsOn = dependsOn;
  if (typeof proc.ready_log_line === 'string' && proc.ready_log_line) definition.readyLine = escapeRegExp(proc.ready_log_line);
  if (typeof proc.namespace === 'string' && proc.namespace && proc.namespace !== 'default') definition.groups = [proc.namespace.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64)];
  for (const key of Object.keys(proc)) {
    if (CARRIED.has(key)) continue;
    out.push({ field: key, reason: NOT_CARRIED[key] ?? (key.startsWith('x-') ? 'an extension field, for other tools' : 'not a setting Agent Tray has') });
  }
  return replicate(name, definition, out, proc.replicas);
}

/** `replicas: N` (N > 1) as N agents `name-0` … with PC_REPLICA_NUM set, grouped under the process's name. */
function replicate(name: string, definition: AgentDefinitionInput, out: NotCarried[], replicas: unknown): ParsedAgent[] {
  const count = typeof replicas === 'number' && Number.isInteger(replicas) ? replicas : 1;
  if (count <= 1) return [{ source: name, definition, notCarried: out }];
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, i) => {
    const replica = `${name}-${String(i).padStart(width, '0')}`;
    return {
      source: replica,
      replicaOf: name,
      definition: { ...definition, name: replica, env: { ...definition.env, PC_REPLICA_NUM: String(i) }, groups: [...new Set([...(definition.groups ?? []), name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64)])] },
      notCarried: [...out, { field: 'replicas', reason: `one agent per replica (${count}), each with PC_REPLICA_NUM, in the group "${name}"; replicas that listen on one port need their own ports` }],
    };
  });
}

/** `process_healthy` on a process without a probe cannot be met here: it becomes `started`, said on the dependent. */
function weakenHealthyWithoutProbe(agents: ParsedAgent[]): void {
  const withProbe = new Set(agents.filter((a) => a.definition.health).flatMap((a) => [a.source, a.replicaOf ?? a.source]));
  for (const agent of agents) {
    for (const [dep, condition] of Object.entries(agent.definition.dependsOn ?? {})) {
      if (condition !== 'healthy' || withProbe.has(dep)) continue;
      agent.definition.dependsOn![dep] = 'started';
      agent.notCarried.push({ field: `depends_on.${dep}.condition`, reason: `"${dep}" has no readiness or liveness probe, so it can never be healthy; the agent waits for it to be started` });
    }
  }
}


/** Every string in a parsed YAML tree with `$$` read as `$`, as process-compose's loader reads it. */
export function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollars(v)]));
  return value;
}
