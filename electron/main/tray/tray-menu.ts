// The tray menu as a pure function of state: a template of plain data that the Electron glue
// maps to MenuItemConstructorOptions, turning each `action` into a click handler.
import type { AgentStatus } from '../../../shared/status.js';
import { isUnwell } from './tray-icon-state.js';

/** What clicking an item asks for. Data, so the template is testable and serializable. */
export type TrayAction =
  | { command: 'startAgent'; name: string }
  | { command: 'stopAgent'; name: string }
  | { command: 'restartAgent'; name: string }
  | { open: 'logs'; name: string }
  | { open: 'window' }
  | { command: 'startAll' }
  | { command: 'stopAll' }
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

/** The state suffix of an agent's label, or '' for running and stopped. */
function stateSuffix(agent: AgentStatus, now: number | undefined): string {
  switch (agent.state) {
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

/** "researcher — retrying in 5 s — unhealthy". */
export function agentLabel(agent: AgentStatus, now?: number): string {
  const parts = [agent.name, stateSuffix(agent, now), isUnwell(agent) ? 'unhealthy' : ''];
  return parts.filter((p) => p !== '').join(' — ');
}

/** The agent's on/off checkbox: checked while it runs. A click stops an agent that runs or is on its way up (starting, waiting to retry), starts any other; nothing while it stops. */
function agentToggle(agent: AgentStatus, now: number | undefined): TrayMenuItem {
  const goingUp = agent.state === 'running' || agent.state === 'starting' || agent.state === 'backoff';
  return {
    label: agentLabel(agent, now),
    type: 'checkbox',
    checked: agent.state === 'running' || agent.state === 'stopping',
    ...(agent.state === 'stopping' ? { enabled: false } : { action: goingUp ? { command: 'stopAgent', name: agent.name } : { command: 'startAgent', name: agent.name } }),
  };
}

/** The agent's submenu: Restart, Show logs, and the last error of a crashed or errored agent. */
function agentSubmenu(agent: AgentStatus): TrayMenuItem {
  const submenu: TrayMenuItem[] = [
    { label: 'Restart', type: 'normal', action: { command: 'restartAgent', name: agent.name } },
    { label: 'Show logs', type: 'normal', action: { open: 'logs', name: agent.name } },
  ];
  if ((agent.state === 'crashed' || agent.state === 'errored') && agent.lastError) {
    const full = firstLine(agent.lastError.message, Number.POSITIVE_INFINITY);
    submenu.push(SEPARATOR, { label: firstLine(full), type: 'normal', enabled: false, toolTip: full });
  }
  return { label: agent.name, type: 'submenu', submenu };
}

/** The whole tray menu template for these agents and settings; `now` (epoch ms) enables the backoff countdown. */
export function trayMenu(agents: readonly AgentStatus[], settings: TraySettings, now?: number): TrayMenuItem[] {
  const agentItems: TrayMenuItem[] =
    agents.length === 0
      ? [{ label: 'No agents yet — add one in the window', type: 'normal', enabled: false }]
      : [...agents.map((a) => agentToggle(a, now)), SEPARATOR, ...agents.map(agentSubmenu)];
  const canStart = agents.some((a) => a.state !== 'running' && a.state !== 'starting' && a.state !== 'stopping');
  const canStop = agents.some((a) => a.state === 'running' || a.state === 'starting' || a.state === 'backoff');
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
