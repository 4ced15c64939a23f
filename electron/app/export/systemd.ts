// The agents as systemd user units: one agent-tray-NAME.service each (its command line with an
// absolute program path, working directory, environment, dependencies as After=/Requires=, restart
// policy and budget, stop signal and timeout, memory limit), one .target per group, and INSTALL.md.
import path from 'node:path';
import { loseAgentTrayOnly, loseLimits, loseRestartBudget } from './common-lost.js';
import { dependenciesOf, readyMeans, type EffectiveAgent } from './effective.js';
import { systemdEnvAssignment, systemdEnvNameOk, systemdExecLine, systemdPath } from './quoting.js';
import { ExportReport, type ExportFile, type ExportInput, type ExportResult } from './types.js';

/** The unit file name of an agent. */
export function unitName(agent: string): string {
  return `agent-tray-${agent}.service`;
}

/** The target file name of a group. */
export function groupTargetName(group: string): string {
  return `agent-tray-group-${group}.target`;
}

/** Where the secrets of an agent are to be put (%h: the home directory). */
export function secretsFile(agent: string): string {
  return `%h/.config/agent-tray/secrets/${agent}.env`;
}

/** A program as an absolute path: a path is taken from the cwd, a name is looked up on the agent's PATH; null when not found. */
function absoluteProgram(program: string, a: EffectiveAgent, input: ExportInput): string | null {
  if (program.includes('/')) return path.resolve(a.cwd, program);
  const searchPath = (a.def.env.PATH ?? input.env.PATH ?? '')
    .split(path.delimiter)
    .filter((entry) => entry.length > 0)
    .map((entry) => path.resolve(a.cwd, entry))
    .join(path.delimiter);
  return searchPath ? input.which(program, searchPath) : null;
}

/** An ExecStart=/ExecStop= line for `argv`, with its program made absolute (reported when it cannot be). */
function execLine(argv: readonly string[], field: string, a: EffectiveAgent, input: ExportInput, report: ExportReport): string {
  const [program, ...args] = argv as [string, ...string[]];
  const full = absoluteProgram(program, a, input);
  if (full === null) report.lose(a.def.name, field, `"${program}" was not found on PATH here; systemd looks a bare name up in its own fixed PATH (/usr/local/bin:/usr/bin:…), not yours: write its full path`);
  return systemdExecLine([full ?? program, ...args]);
}

/** "512M", or bytes where the MB are not whole. */
function memoryValue(mb: number): string {
  return Number.isInteger(mb) ? `${mb}M` : String(Math.round(mb * 1024 * 1024));
}

/** A path for a setting without quotes, or null (reported) when it has a line break or another control character. */
function plainPath(value: string, field: string, agent: string, report: ExportReport): string | null {
  // eslint-disable-next-line no-control-regex -- a unit file line cannot hold these
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    report.lose(agent, field, `${JSON.stringify(value)} has a line break or control character, which a unit file cannot hold in a path`);
    return null;
  }
  return systemdPath(value);
}

/** The [Unit] section's lines. */
function unitSection(a: EffectiveAgent, oneshots: Set<string>, byName: Map<string, EffectiveAgent>, report: ExportReport): string[] {
  const { def } = a;
  const description = `Agent Tray agent ${def.name}${def.description ? `: ${def.description.replace(/\s+/g, ' ')}` : ''}`;
  const lines = ['[Unit]', `Description=${systemdPath(description)}`];
  for (const [dep, condition] of dependenciesOf(a)) {
    lines.push(`After=${unitName(dep)}`, `Requires=${unitName(dep)}`);
    const means = condition === 'ready' ? readyMeans(byName.get(dep)) : condition;
    if (means === 'healthy' || means === 'line') {
      report.lose(def.name, `dependsOn.${dep}`, `systemd cannot wait for "${dep}" to be ${condition === 'ready' ? 'ready' : 'healthy'}; it waits until "${dep}" has started`);
    } else if (condition === 'completed' && !oneshots.has(dep)) {
      report.lose(def.name, `dependsOn.${dep}`, `"${dep}" is not a one-shot unit, so systemd waits until it has started, not until it exited`);
    }
  }
  for (const group of def.groups ?? []) lines.push(`PartOf=${groupTargetName(group)}`);
  if (a.restart.policy !== 'no' && a.restart.maxRestarts > 0) {
    lines.push(`StartLimitIntervalSec=${a.restart.windowMs}ms`, `StartLimitBurst=${a.restart.maxRestarts + 1}`);
  }
  return lines;
}

/** The [Service] section's lines. */
function serviceSection(a: EffectiveAgent, oneshot: boolean, input: ExportInput, report: ExportReport): string[] {
  const { def } = a;
  const lines = ['[Service]', `Type=${oneshot ? 'oneshot' : 'exec'}`, `ExecStart=${execLine([def.command, ...def.args], 'command', a, input, report)}`];
  if (def.stop?.command) lines.push(`ExecStop=${execLine(def.stop.command, 'stop.command', a, input, report)}`);
  const cwd = plainPath(a.cwd, 'cwd', def.name, report);
  if (cwd !== null) lines.push(`WorkingDirectory=${cwd}`);
  for (const [key, value] of Object.entries(def.env)) {
    if (a.secretNames.includes(key)) continue;
    if (systemdEnvNameOk(key)) lines.push(`Environment=${systemdEnvAssignment(key, value)}`);
    else report.lose(def.name, `env.${key}`, 'systemd takes only letters, digits and "_" in a variable name (not starting with a digit)');
  }
  for (const file of a.envFiles) {
    const p = plainPath(file, 'envFile', def.name, report);
    if (p !== null) lines.push(`EnvironmentFile=${p}`);
  }
  if (a.envFiles.length > 0 && Object.keys(def.env).length > 0) {
    report.lose(def.name, 'envFile', 'systemd lets EnvironmentFile= override Environment=, Agent Tray lets env override the file: a variable set in both takes the file\'s value here');
  }
  if (a.secretNames.length > 0) lines.push(`EnvironmentFile=${secretsFile(def.name)}`);
  lines.push(...restartLines(a, oneshot, report));
  const signal = def.stop?.signal ?? 'SIGTERM';
  if (signal !== 'SIGTERM') lines.push(`KillSignal=${signal}`);
  lines.push(`TimeoutStopSec=${a.stopGraceMs}ms`);
  if (a.limits.maxMemoryMB !== undefined) lines.push(`MemoryMax=${memoryValue(a.limits.maxMemoryMB)}`);
  if (a.limits.maxRuntimeMs !== undefined) lines.push(oneshot ? `TimeoutStartSec=${a.limits.maxRuntimeMs}ms` : `RuntimeMaxSec=${a.limits.maxRuntimeMs}ms`);
  else if (oneshot) lines.push('TimeoutStartSec=infinity');
  if (def.priority === 'low') lines.push('Nice=10');
  else if (def.priority === 'high') report.lose(def.name, 'priority', 'a user service may not raise its scheduling priority (Nice= below 0 fails without privileges)');
  return lines;
}

/** Restart= and RestartSec=; a one-shot unit cannot restart always. */
function restartLines(a: EffectiveAgent, oneshot: boolean, report: ExportReport): string[] {
  const r = a.restart;
  loseRestartBudget(a, report, 'systemd', ['maxRestarts', 'windowMs', 'backoff.initialMs']);
  let policy: string = r.maxRestarts === 0 ? 'no' : r.policy;
  if (oneshot && policy === 'always') {
    report.lose(a.def.name, 'restart.policy', 'others wait for this agent to complete, so it is a one-shot unit, which systemd restarts on failure only, never "always"');
    policy = 'on-failure';
  }
  return policy === 'no' ? ['Restart=no'] : [`Restart=${policy}`, `RestartSec=${r.backoff.initialMs}ms`];
}

/** Reports what systemd cannot express of one agent. */
function loseOthers(a: EffectiveAgent, report: ExportReport): void {
  const { def } = a;
  loseAgentTrayOnly(a, report, 'systemd');
  loseLimits(a, report, { target: 'systemd', caps: ['maxMemoryMB', 'maxRuntimeMs'], afterCap: 'Restart= decides whether it starts again' });
  if (def.health) report.lose(def.name, 'health', `systemd has no health probes${a.health?.restartOnFailure ? ', so it cannot restart the agent when it turns unhealthy' : ''}`);
  if (def.readyLine) report.lose(def.name, 'readyLine', 'systemd does not read the output for a ready line (a service can tell it is ready with sd_notify and Type=notify instead)');
  if (def.port !== undefined) report.lose(def.name, 'port', `systemd does not check that port ${def.port} is free before a start, nor find the agent by it`);
  for (const secret of a.secretNames) report.lose(def.name, `secretEnv.${secret}`, `the value is not written to the unit; put ${secret}=… in ${secretsFile(def.name).replace('%h', '~')} (mode 0600)`);
}

/** One .service file. */
function serviceFile(a: EffectiveAgent, oneshots: Set<string>, byName: Map<string, EffectiveAgent>, input: ExportInput, report: ExportReport): ExportFile {
  const lines = [
    `# Written by \`agent-tray export --to systemd\` from the agent "${a.def.name}" of Agent Tray.`,
    ...unitSection(a, oneshots, byName, report),
    '',
    ...serviceSection(a, oneshots.has(a.def.name), input, report),
    '',
    '[Install]',
    'WantedBy=default.target',
  ];
  loseOthers(a, report);
  return { path: unitName(a.def.name), content: `${lines.join('\n')}\n` };
}

/** One .target file per group: starting it starts the group, stopping it stops them (PartOf=). */
function groupFiles(agents: readonly EffectiveAgent[]): ExportFile[] {
  const groups = new Map<string, string[]>();
  for (const a of agents) for (const g of a.def.groups ?? []) groups.set(g, [...(groups.get(g) ?? []), a.def.name]);
  return [...groups].map(([group, names]) => ({
    path: groupTargetName(group),
    content: [`# Written by \`agent-tray export --to systemd\`: the agents of the group "${group}".`, '[Unit]', `Description=Agent Tray group ${group}`, ...names.map((n) => `Wants=${unitName(n)}`), ''].join('\n'),
  }));
}

/** INSTALL.md: where the files go and the commands that start them. */
function installNote(agents: readonly EffectiveAgent[], groups: readonly ExportFile[]): ExportFile {
  const atLogin = agents.filter((a) => a.startsWithStack).map((a) => unitName(a.def.name));
  const others = agents.filter((a) => !a.startsWithStack).map((a) => unitName(a.def.name));
  const lines = [
    '# Agent Tray agents as systemd user units',
    '',
    'Copy the files into `~/.config/systemd/user/` and let systemd read them:',
    '',
    '```sh',
    'mkdir -p ~/.config/systemd/user',
    'cp agent-tray-* ~/.config/systemd/user/',
    'systemctl --user daemon-reload',
    ...(atLogin.length > 0 ? [`systemctl --user enable --now ${atLogin.join(' ')}`] : []),
    '```',
    '',
    atLogin.length > 0 ? '`enable --now` starts the agents that Agent Tray starts by itself (autostart, and what they depend on), now and at every login.' : 'No agent is marked autostart, so none is enabled to start at login.',
    ...(others.length > 0 ? ['', 'Start the others when you need them (`enable` them too to have them start at login):', '', '```sh', ...others.map((u) => `systemctl --user start ${u}`), '```'] : []),
    ...(groups.length > 0 ? ['', 'A group starts and stops together:', '', '```sh', ...groups.map((g) => `systemctl --user start ${g.path}`), '```'] : []),
    '',
    'Their output: `journalctl --user -u agent-tray-NAME.service -f`. To keep them running after you log out: `loginctl enable-linger $USER`.',
    '',
  ];
  return { path: 'INSTALL.md', content: lines.join('\n') };
}

/** The agents as systemd user units. */
export function toSystemd(agents: readonly EffectiveAgent[], input: ExportInput): ExportResult {
  const report = new ExportReport();
  const byName = new Map(agents.map((a) => [a.def.name, a]));
  // an agent others wait on to complete runs once per start: a one-shot unit
  const oneshots = new Set(agents.flatMap((a) => dependenciesOf(a).filter(([, c]) => c === 'completed').map(([dep]) => dep)));
  const services = agents.map((a) => serviceFile(a, oneshots, byName, input, report));
  const groups = groupFiles(agents);
  report.note('Copy the files into ~/.config/systemd/user/, then `systemctl --user daemon-reload` and `systemctl --user enable --now agent-tray-NAME.service` (INSTALL.md has the commands for these agents).');
  if (agents.some((a) => a.restart.policy !== 'no')) report.note('systemd waits the same RestartSec= before every restart; Agent Tray doubles the wait each time (systemd 254 and later can too, with RestartSteps= and RestartMaxDelaySec=).');
  if (agents.some((a) => a.envFiles.length > 0)) report.note('systemd reads EnvironmentFile= with its own rules (KEY=VALUE lines, quotes, # comments); an `export` prefix or a value over several lines may read differently than with dotenv.');
  if (agents.some((a) => a.limits.maxMemoryMB !== undefined)) report.note('MemoryMax= in a user unit needs the memory controller delegated to your user manager (the default on current distributions).');
  if (agents.some((a) => a.secretNames.length > 0)) report.note('Secrets are not written into the units: each agent with secrets reads them from ~/.config/agent-tray/secrets/NAME.env, which you create (mode 0600); the unit does not start while it is missing.');
  if (input.platform === 'win32' || input.platform === 'darwin') report.note('systemd units are for Linux: the paths in them are this machine\'s; change them to the server\'s.');
  return report.result('systemd', [...services, ...groups, installNote(agents, groups)]);
}
