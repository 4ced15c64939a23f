// What a tray item that runs a command asks the command table for: the command, its input, and
// the words a failure notification starts with. Pure, so the mapping is tested without Electron.
import type { CommandName } from '../../../shared/commands.js';
import type { TrayAction } from './tray-menu.js';

export type TrayCommandAction = Extract<TrayAction, { command: string }>;

export interface TrayCommand {
  command: CommandName;
  input: Record<string, unknown>;
  /** "Start alpha", "Stop group research": the title of the notification when it fails. */
  what: string;
}

/** The command a tray item runs. */
export function trayCommand(action: TrayCommandAction): TrayCommand {
  switch (action.command) {
    case 'startAll':
      return { command: 'startAll', input: {}, what: 'Start all' };
    case 'stopAll':
      return { command: 'stopAll', input: {}, what: 'Stop all' };
    case 'startGroup':
      return { command: 'startGroup', input: { group: action.group }, what: `Start group ${action.group}` };
    case 'stopGroup':
      return { command: 'stopGroup', input: { group: action.group }, what: `Stop group ${action.group}` };
    case 'stopAgent':
      return action.withDependents
        ? { command: 'stopAgent', input: { name: action.name, withDependents: true }, what: `Stop ${action.name} with dependents` }
        : { command: 'stopAgent', input: { name: action.name }, what: `Stop ${action.name}` };
    case 'startAgent':
      return { command: 'startAgent', input: { name: action.name }, what: `Start ${action.name}` };
    case 'restartAgent':
      return { command: 'restartAgent', input: { name: action.name }, what: `Restart ${action.name}` };
  }
}
