// Test doubles for the store's tests: agent statuses, a bridge whose events the test sends and
// whose commands answer what the test says, and a scheduler the test flushes by hand.
import { SettingsSchema } from '../../../shared/settings.js';
import { BridgeError, type AgentTrayBridge, type BridgeEvent } from '../../../shared/bridge.js';
import { COMMAND_NAMES, type CommandName, type CommandResult } from '../../../shared/commands.js';
import type { AgentStatus } from '../../../shared/status.js';
import type { ConnectionState } from '../../../renderer/bridge/types.js';
import type { Scheduler } from '../../../renderer/store/scheduler.js';

/** A status with every field, stopped unless `patch` says otherwise. */
export function status(name: string, patch: Partial<AgentStatus> = {}): AgentStatus {
  return {
    name,
    state: 'stopped',
    since: 0,
    pid: null,
    startedAt: null,
    uptimeMs: null,
    exitCode: null,
    signal: null,
    restarts: 0,
    lastError: null,
    port: null,
    health: 'unknown',
    healthScore: 100,
    nextAttemptAt: null,
    violations: 0,
    stats: null,
    adopted: false,
    outputCaptured: true,
    conflict: null,
    ...patch,
  };
}

/** A running status started at `startedAt`. */
export function running(name: string, startedAt: number, patch: Partial<AgentStatus> = {}): AgentStatus {
  return status(name, { state: 'running', pid: 1000 + name.length, startedAt, since: startedAt, health: 'healthy', ...patch });
}

export type Handlers = { [C in CommandName]?: (input: unknown) => Promise<CommandResult<C>> | CommandResult<C> };

export interface FakeBridge {
  bridge: AgentTrayBridge;
  /** Sends an event to every subscriber. */
  emit: (...events: BridgeEvent[]) => void;
  /** Every command called, in order. */
  calls: { name: CommandName; input: unknown }[];
  subscribers: () => number;
  /** Changes the reported connection (the bridge is connection-aware when `connectionAware` was set). */
  setConnection: (state: ConnectionState) => void;
}

/** A bridge that answers from `handlers` (a command without one fails with code 'not-implemented'); listAlerts and listOrphans answer none unless given. */
/** Default settings as the API gives them (no `$schema` link). */
function withoutLink<T extends { $schema?: string }>(settings: T): Omit<T, '$schema'> {
  const copy = { ...settings };
  delete copy.$schema;
  return copy;
}

export function fakeBridge(handlers: Handlers = {}, opts: { connectionAware?: boolean } = {}): FakeBridge {
  const listeners = new Set<(e: BridgeEvent) => void>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  let connection: ConnectionState = { status: 'connecting', message: null, hint: null };
  const calls: FakeBridge['calls'] = [];
  const all: Handlers = {
    listAlerts: () => ({ alerts: [] }),
    listOrphans: () => ({ orphans: [] }),
    getSettings: () => ({ settings: withoutLink(SettingsSchema.parse({})), startAtLogin: null, settingsFile: '/data/settings.json' }),
    ...handlers,
  };
  const commands = Object.fromEntries(
    COMMAND_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        calls.push({ name, input });
        const handler = all[name] as ((input: unknown) => unknown) | undefined;
        if (!handler) throw new BridgeError({ code: 'not-implemented', message: `the fake bridge has no ${name}` });
        return handler(input);
      },
    ]),
  );
  const bridge = {
    ...commands,
    version: 'test',
    host: 'electron',
    subscribe(listener: (e: BridgeEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ...(opts.connectionAware
      ? {
          onConnection(listener: (s: ConnectionState) => void) {
            connectionListeners.add(listener);
            listener(connection);
            return () => connectionListeners.delete(listener);
          },
        }
      : {}),
  } as unknown as AgentTrayBridge;
  return {
    bridge,
    calls,
    emit: (...events) => {
      for (const e of events) for (const l of [...listeners]) l(e);
    },
    subscribers: () => listeners.size,
    setConnection: (state) => {
      connection = state;
      for (const l of [...connectionListeners]) l(state);
    },
  };
}

/** A scheduler that runs nothing until the test calls `run()`. */
export function manualScheduler(): { schedule: Scheduler; pending: () => number; run: () => void } {
  let queued: (() => void)[] = [];
  return {
    schedule: (flush) => {
      queued.push(flush);
    },
    pending: () => queued.length,
    run: () => {
      const q = queued;
      queued = [];
      for (const f of q) f();
    },
  };
}
