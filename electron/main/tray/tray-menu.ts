// The tray menu as a pure function of state: a template of plain data that the Electron glue
// maps to MenuItemConstructorOptions, turning each `action` into a click handler.
import { isLive, liveDependents, waitingText, type StatusesByName } from '../../../shared/stack-status.js';
import type { AgentStatus } from '../../../shared/status.js';
import { isUnwell } from './tray-icon-state.js';

/** What clicking an item asks for. Data, so the template is testable and serializable. */
export type TrayAction =
  | { command: 'startAgent'; name: string }
  | { command: 'stopAgent'; name: string; withDependents?: true }
  | { command: 'restartAgent'; name: string }
  | { open: 'logs'; name: string }
  | { open: 'url'; name: string; url: string }
  | { open: 'window' }
  | { command: 'startAll' }
  | { command: 'stopAll' }
  | { command: 'startGroup'; group: string }
  | { command: 'stopGroup'; group: string }
  | { toggle: 'startAtLogin' }
  | { quit: true };

/** A minimal, Electron-free subset of MenuItemConstructorOptions. */
export interface TrayMenuItem {
  label: string;
  type: 'normal' | 'checkbox' | 'separator' | 'submenu';
  checked?: boolean;
  enabled?: boolean;
  toolTip?: string;
  submenu?: TrayMenuItem[];
  action?: TrayAction;
}

export interface TraySettings {
  startAtLogin: boolean;
}

/** Longest label for an agent's last error in the menu. */
export const ERROR_LABEL_MAX = 80;

const SEPARATOR: TrayMenuItem = { label: '', type: 'separator' };

/** The first line of `text`, cut to `max` characters with an ellipsis. */
export function firstLine(text: string, max: number = ERROR_LABEL_MAX): string {
  const line = (text.split(/\r?\n/)[0] ?? '').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The state suffix of an agent's label, or '' for running and stopped; `byName` (every agent) says what a waiting one still waits for. */
function stateSuffix(agent: AgentStatus, now: number | undefined, byName: StatusesByName): string {
  switch (agent.state) {
    case 'waiting':
      return waitingText(agent, byName) ?? 'waiting';
    case 'starting':
      return 'starting…';
    case 'stopping':
      return 'stopping…';
    case 'backoff':
      if (now !== undefined && agent.nextAttemptAt !== null) {
        return `retrying in ${Math.max(0, Math.ceil((agent.nextAttemptAt - now) / 1000))} s`;
      }
      return 'waiting to retry';
    case 'crashed':
      return 'crashed';
    case 'errored':
      return 'errored';
    default:
      return '';
  }
}

/** "researcher — retrying in 5 s — unhealthy", "server — waiting for model (healthy)". */
export function agentLabel(agent: AgentStatus, now?: number, byName: StatusesByName = {}): string {
  const parts = [agent.name, stateSuffix(agent, now, byName), isUnwell(agent) ? 'unhealthy' : ''];
  return parts.filter((p) => p !== '').join(' — ');
}

/** The agent's on/off checkbox: checked while it runs. A click stops an agent that runs or is on its way up (waiting for its dependencies, starting, waiting to retry), starts any other; nothing while it stops. */
function agentToggle(agent: AgentStatus, now: number | undefined, byName: StatusesByName): TrayMenuItem {
  const goingUp = isLive(agent.state);
  return {
    label: agentLabel(agent, now, byName),
    type: 'checkbox',
    checked: agent.state === 'running' || agent.state === 'stopping',
    ...(agent.state === 'stopping' ? { enabled: false } : { action: goingUp ? { command: 'stopAgent', name: agent.name } : { command: 'startAgent', name: agent.name } }),
  };
}

/** The agent's submenu: Open (what it serves, when it has a URL), Restart, Show logs, Stop with its dependents while some of them run, and the last error of a crashed or errored agent. */
function agentSubmenu(agent: AgentStatus, agents: readonly AgentStatus[]): TrayMenuItem {
  const submenu: TrayMenuItem[] = [
    ...(agent.url ? [{ label: 'Open', type: 'normal', toolTip: agent.url, action: { open: 'url', name: agent.name, url: agent.url } } satisfies TrayMenuItem] : []),
    { label: 'Restart', type: 'normal', action: { command: 'restartAgent', name: agent.name } },
    { label: 'Show logs', type: 'normal', action: { open: 'logs', name: agent.name } },
  ];
  const dependents = isLive(agent.state) ? liveDependents(agent.name, agents) : [];
  if (dependents.length > 0) {
    submenu.push({ label: `Stop with dependents (${dependents.join(', ')})`, type: 'normal', action: { command: 'stopAgent', name: agent.name, withDependents: true } });
  }
  if ((agent.state === 'crashed' || agent.state === 'errored') && agent.lastError) {
    const full = firstLine(agent.lastError.message, Number.POSITIVE_INFINITY);
    submenu.push(SEPARATOR, { label: firstLine(full), type: 'normal', enabled: false, toolTip: full });
  }
  return { label: agent.name, type: 'submenu', submenu };
}

/** The groups named by the agents, sorted, each with its agents in the given order. */
export function trayGroups(agents: readonly AgentStatus[]): { name: string; agents: AgentStatus[] }[] {
  const groups = new Map<string, AgentStatus[]>();
  for (const a of agents) for (const g of new Set(a.groups ?? [])) groups.set(g, [...(groups.get(g) ?? []), a]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })).map(([name, members]) => ({ name, agents: members }));
}

/** A group's submenu: "research — 2 of 3 running", then Start group, Stop group and its agents' checkboxes. */
function groupSubmenu(group: { name: string; agents: AgentStatus[] }, now: number | undefined, byName: StatusesByName): TrayMenuItem {
  const running = group.agents.filter((a) => a.state === 'running').length;
  return {
    label: `${group.name} — ${running} of ${group.agents.length} running`,
    type: 'submenu',
    submenu: [
      { label: 'Start group', type: 'normal', enabled: group.agents.some((a) => !isLive(a.state) && a.state !== 'stopping'), action: { command: 'startGroup', group: group.name } },
      { label: 'Stop group', type: 'normal', enabled: group.agents.some((a) => isLive(a.state)), action: { command: 'stopGroup', group: group.name } },
      SEPARATOR,
      ...group.agents.map((a) => agentToggle(a, now, byName)),
    ],
  };
}

/** The whole tray menu template for these agents and settings; `now` (epoch ms) enables the backoff countdown. */
export function trayMenu(agents: readonly AgentStatus[], settings: TraySettings, now?: number): TrayMenuItem[] {
  const byName: StatusesByName = Object.fromEntries(agents.map((a) => [a.name, a]));
  const groups = trayGroups(agents);
  const agentItems: TrayMenuItem[] =
    agents.length === 0
      ? [{ label: 'No agents yet — add one in the window', type: 'normal', enabled: false }]
      : [
          ...agents.map((a) => agentToggle(a, now, byName)),
          SEPARATOR,
          ...agents.map((a) => agentSubmenu(a, agents)),
          ...(groups.length > 0 ? [SEPARATOR, ...groups.map((g) => groupSubmenu(g, now, byName))] : []),
        ];
  const canStart = agents.some((a) => a.state !== 'running' && a.state !== 'starting' && a.state !== 'waiting' && a.state !== 'stopping');
  const canStop = agents.some((a) => isLive(a.state));
  return [
    ...agentItems,
    SEPARATOR,
    { label: 'Start all', type: 'normal', enabled: canStart, action: { command: 'startAll' } },
    { label: 'Stop all', type: 'normal', enabled: canStop, action: { command: 'stopAll' } },
    SEPARATOR,
    { label: 'Open Agent Tray', type: 'normal', action: { open: 'window' } },
    { label: 'Start at login', type: 'checkbox', checked: settings.startAtLogin, action: { toggle: 'startAtLogin' } },
    SEPARATOR,
    { label: 'Quit', type: 'normal', action: { quit: true } },
  ];
}
