// The agents as a process-compose.yaml: one process each, with its command line (quoted for the
// shell process-compose runs it through), working directory, environment, dependencies with their
// conditions, probes, restart policy and shutdown. Two things of process-compose's loader shape the
// text: it substitutes $VARIABLES in the whole file (so every dollar sign is written twice) and it
// renders {{ }} as Go templates in commands, directories, environment values and probes (so a
// literal "{{" is written as a template that prints it).
import { constants } from 'node:os';
import { stringify } from 'yaml';
import type { DependencyCondition } from '../../../shared/agent.js';
import { loseAgentTrayOnly, loseLimits, loseRestartBudget } from './common-lost.js';
import { dependenciesOf, durationText, readyMeans, wholeSeconds, type EffectiveAgent } from './effective.js';
import { regexAsText } from './ready-line.js';
import { shellLine } from './quoting.js';
import { ExportReport, type ExportResult } from './types.js';

export const PROCESS_COMPOSE_FILE = 'process-compose.yaml';

/** Text process-compose's template rendering gives back unchanged: each "{{" becomes an action that prints it. */
export function templateSafe(text: string): string {
  return text.replace(/\{\{/g, '{{"{{"}}');
}

/** Signal numbers process-compose takes (the same on Linux and macOS, except USR1/USR2: this machine's). */
function signalNumber(signal: string): number | undefined {
  return (constants.signals as Record<string, number | undefined>)[signal];
}

type Probe = Record<string, unknown>;

/** The probe of an agent's health check in process-compose's words, or null (reported) when it has none it can take. */
function probeOf(a: EffectiveAgent, report: ExportReport): Probe | null {
  const h = a.health;
  if (!h) return null;
  const name = a.def.name;
  const seconds = (field: 'intervalMs' | 'timeoutMs' | 'startPeriodMs', min: number) => {
    const s = wholeSeconds(h[field], min);
    if (s.rounded) report.lose(name, `health.${field}`, `process-compose counts whole seconds: ${durationText(h[field])} became ${s.seconds} s`);
    return s.seconds;
  };
  const timing = {
    initial_delay_seconds: seconds('startPeriodMs', 0),
    period_seconds: seconds('intervalMs', 1),
    timeout_seconds: seconds('timeoutMs', 1),
    success_threshold: h.successThreshold,
    failure_threshold: h.failureThreshold,
  };
  const p = h.probe;
  if (p.kind === 'http') {
    const url = new URL(p.url);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return { http_get: { host: templateSafe(url.hostname), scheme: url.protocol.slice(0, -1), path: templateSafe(`${url.pathname}${url.search}`), port }, ...timing };
  }
  if (p.kind === 'tcp') {
    report.note('process-compose has no TCP probe: a tcp health check becomes an exec probe that opens the port with bash (/dev/tcp).');
    return { exec: { command: templateSafe(shellLine(['bash', '-c', `exec 3<>/dev/tcp/${p.host}/${p.port}`])) }, ...timing };
  }
  return { exec: { command: templateSafe(shellLine(p.argv)) }, ...timing };
}

/** The process-compose condition for one dependency (reported where it had to change). */
function conditionOf(agent: string, dep: string, condition: DependencyCondition, byName: Map<string, EffectiveAgent>, logReady: Map<string, string>, report: ExportReport): string {
  const target = byName.get(dep);
  const field = `dependsOn.${dep}`;
  switch (condition) {
    case 'started':
      return 'process_started';
    case 'completed':
      return 'process_completed_successfully';
    case 'healthy':
      if (target?.health) return 'process_healthy';
      report.lose(agent, field, `"${dep}" has no health probe, so "healthy" became "started"`);
      return 'process_started';
    case 'ready': {
      const means = readyMeans(target);
      if (means === 'line' && logReady.has(dep)) return 'process_log_ready';
      if (means === 'line' && target?.health) {
        report.lose(agent, field, `"${dep}"'s readyLine is not in the file, so "ready" became "healthy" (its health probe)`);
        return 'process_healthy';
      }
      if (means === 'line') {
        report.lose(agent, field, `"${dep}"'s readyLine is not in the file, so "ready" became "started"`);
        return 'process_started';
      }
      return means === 'healthy' ? 'process_healthy' : 'process_started';
    }
  }
}

/** The readyLine as process-compose's ready_log_line (a substring), or null (reported) when it cannot be one. */
function readyLogLine(a: EffectiveAgent, report: ExportReport): string | null {
  const line = a.def.readyLine;
  if (!line) return null;
  if (a.health) {
    report.lose(a.def.name, 'readyLine', 'process-compose takes a ready_log_line or a readiness probe, not both; the health probe was kept');
    return null;
  }
  const text = regexAsText(line);
  if (text === null) {
    report.lose(a.def.name, 'readyLine', `process-compose waits for a plain substring, and /${line}/ is a regular expression with operators`);
    return null;
  }
  return text;
}

/** One process of the file. */
function processOf(a: EffectiveAgent, byName: Map<string, EffectiveAgent>, logReady: Map<string, string>, report: ExportReport): Record<string, unknown> {
  const { def } = a;
  const p: Record<string, unknown> = {};
  if (def.description) p.description = templateSafe(def.description);
  p.command = templateSafe(shellLine([def.command, ...def.args]));
  p.working_dir = templateSafe(a.cwd);
  const env = Object.entries(def.env).filter(([k]) => !a.secretNames.includes(k));
  if (env.length > 0) p.environment = env.map(([k, v]) => templateSafe(`${k}=${v}`));
  const [firstEnvFile, ...moreEnvFiles] = a.envFiles;
  if (firstEnvFile) p.env_file = firstEnvFile;
  for (const file of moreEnvFiles) report.lose(def.name, 'envFile', `process-compose reads one env_file per process; ${file} is not read (merge it into ${firstEnvFile})`);
  for (const secret of a.secretNames) report.lose(def.name, `secretEnv.${secret}`, 'secret values are not written to process-compose.yaml; put the variable in an env_file the process reads');
  if (!a.startsWithStack) p.disabled = true;
  const [group, ...moreGroups] = def.groups ?? [];
  if (group !== undefined) p.namespace = group;
  for (const g of moreGroups) report.lose(def.name, 'groups', `a process has one namespace in process-compose (a list only from 1.122 on): "${group}" was kept, "${g}" was not`);
  const deps = dependenciesOf(a);
  if (deps.length > 0) p.depends_on = Object.fromEntries(deps.map(([dep, condition]) => [dep, { condition: conditionOf(def.name, dep, condition, byName, logReady, report) }]));
  const probe = probeOf(a, report);
  if (probe) p.readiness_probe = probe;
  if (probe && a.health?.restartOnFailure) p.liveness_probe = probe;
  const line = logReady.get(def.name);
  if (line !== undefined) p.ready_log_line = line;
  p.availability = availabilityOf(a, report);
  p.shutdown = shutdownOf(a, report);
  return p;
}

/** availability: restart policy, fixed backoff, the number of restarts. */
function availabilityOf(a: EffectiveAgent, report: ExportReport): Record<string, unknown> {
  const r = a.restart;
  const backoff = wholeSeconds(r.backoff.initialMs, 1);
  if (backoff.rounded && a.restartSet.has('backoff.initialMs')) report.lose(a.def.name, 'restart.backoff.initialMs', `process-compose counts whole seconds: ${durationText(r.backoff.initialMs)} became ${backoff.seconds} s`);
  loseRestartBudget(a, report, 'process-compose', ['maxRestarts', 'backoff.initialMs']);
  // no restart is allowed at all when the budget is 0
  const policy = r.maxRestarts === 0 ? 'no' : r.policy === 'on-failure' ? 'on_failure' : r.policy;
  return policy === 'no' ? { restart: 'no' } : { restart: policy, backoff_seconds: backoff.seconds, max_restarts: r.maxRestarts };
}

/** shutdown: the stop command, the signal, how long to wait before SIGKILL. */
function shutdownOf(a: EffectiveAgent, report: ExportReport): Record<string, unknown> {
  const s = a.def.stop;
  const out: Record<string, unknown> = {};
  if (s?.command) out.command = shellLine(s.command);
  const signal = s?.signal ?? 'SIGTERM';
  const number = signalNumber(signal);
  if (number !== undefined) out.signal = number;
  else report.lose(a.def.name, 'stop.signal', `this machine has no number for ${signal}`);
  if (signal === 'SIGUSR1' || signal === 'SIGUSR2') report.note(`${signal} is written as ${number} (this machine's number); Linux and macOS number it differently.`);
  const grace = wholeSeconds(a.stopGraceMs, 1);
  if (grace.rounded) report.lose(a.def.name, 'stop.timeoutMs', `process-compose counts whole seconds: a stop may take ${durationText(a.stopGraceMs)}, written as ${grace.seconds} s`);
  out.timeout_seconds = grace.seconds;
  return out;
}

/** Reports what process-compose cannot express of one agent. */
function loseOthers(a: EffectiveAgent, report: ExportReport): void {
  const { def } = a;
  loseAgentTrayOnly(a, report, 'process-compose');
  loseLimits(a, report, { target: 'process-compose', caps: [], afterCap: '' });
  if (def.priority && def.priority !== 'normal') report.lose(def.name, 'priority', `process-compose cannot set a ${def.priority} scheduling priority`);
  if (def.port !== undefined) report.lose(def.name, 'port', `process-compose does not check that port ${def.port} is free before a start, nor find the agent by it`);
}

/** The agents as one process-compose.yaml. */
export function toProcessCompose(agents: readonly EffectiveAgent[], platform: NodeJS.Platform): ExportResult {
  const report = new ExportReport();
  const byName = new Map(agents.map((a) => [a.def.name, a]));
  // each agent's readyLine as a ready_log_line, where it can be one (its dependents need to know)
  const logReady = new Map<string, string>();
  for (const a of agents) {
    const line = readyLogLine(a, report);
    if (line !== null) logReady.set(a.def.name, line);
  }
  const processes: Record<string, unknown> = {};
  for (const a of agents) {
    processes[a.def.name] = processOf(a, byName, logReady, report);
    loseOthers(a, report);
  }
  const body = stringify({ version: '0.5', processes }, { lineWidth: 0, version: '1.1', aliasDuplicateObjects: false });
  const header = [
    '# Written by `agent-tray export --to process-compose` from the agents of Agent Tray.',
    '# Every dollar sign is written twice: process-compose substitutes variables in the whole file.',
    '',
  ].join('\n');
  const content = header + body.replace(/\$/g, '$$$$');
  report.note('Run it with `process-compose up` in this folder (or `process-compose -f process-compose.yaml up`).');
  const disabled = agents.filter((a) => !a.startsWithStack).map((a) => a.def.name);
  if (disabled.length > 0) report.note(`Not started by \`up\` (not autostart in Agent Tray, so disabled: true): ${disabled.join(', ')}. Start one with \`process-compose process start NAME\` or from its window.`);
  report.note('process-compose also loads a .env file from the folder it starts in into every process; Agent Tray does not.');
  if (agents.some((a) => a.health?.probe.kind === 'http')) report.note('process-compose takes only HTTP 200 as healthy; Agent Tray takes any 2xx answer.');
  if (agents.some((a) => a.restart.policy !== 'no')) report.note('process-compose waits the same backoff_seconds before every restart and counts max_restarts over the process\'s whole life; Agent Tray doubles the wait and counts restarts within a window.');
  if (platform === 'win32') report.note('Commands are quoted for bash, the shell process-compose uses on Linux and macOS; on Windows it uses cmd.exe (set COMPOSE_SHELL=bash, e.g. Git Bash).');
  return report.result('process-compose', [{ path: PROCESS_COMPOSE_FILE, content }]);
}
