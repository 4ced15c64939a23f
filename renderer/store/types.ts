// The shape of the window's store: one slice per concern, each fed by the bridge's events.
import type { NavigateEvent } from '../../shared/bridge.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { SettingsChange } from '../../shared/settings.js';
import type { BulkResult, CommandInput, CommandResult, LogSearchResult } from '../../shared/commands.js';
import type { Orphan } from '../../shared/discovery.js';
import type { ExportResult, ExportTarget } from '../../shared/export.js';
import type { AgentStatus, Alert, LogStream, ProbeResult, Violation } from '../../shared/status.js';
import type { ConnectionState } from '../bridge/types.js';
import type { Ring } from './ring.js';
import type { StackGraph } from './stacks.js';

/** How many items each bounded list keeps. */
export interface StoreLimits {
  /** Resource samples per agent (900 = 15 minutes at one a second). */
  statsSamples: number;
  /** Log lines per agent whose log this window has opened. */
  logLines: number;
  /**
   * Log lines per agent whose log this window has not opened (its lines still arrive live): 200
   * chatty agents at the full cap would hold gigabytes in the page. Opening the log raises the cap
   * to `logLines` and fetches the host's recent lines.
   */
  backgroundLogLines: number;
  /** Alerts in the list. */
  alerts: number;
  /** Health probe results per agent. */
  probes: number;
  /** Limit violations per agent. */
  violations: number;
}

/** The settings as the API gives them. */
export type PublicSettings = CommandResult<'getSettings'>['settings'];

export const DEFAULT_LIMITS: StoreLimits = { statsSamples: 900, logLines: 100_000, backgroundLogLines: 5_000, alerts: 500, probes: 50, violations: 100 };

export interface AgentsSlice {
  byName: Record<string, AgentStatus>;
  /** Names in the host's order (the order of agents.json; new agents last). */
  order: string[];
  /** Recent health probe results per agent, oldest first. */
  probes: Record<string, ProbeResult[]>;
  /** Recent limit violations per agent, oldest first. */
  violations: Record<string, Violation[]>;
  /** The host's time of the last snapshot; null before the first. */
  snapshotAt: number | null;
  /** How many snapshots arrived (more than one: the stream reconnected). */
  snapshots: number;
  /** The host's clock minus this window's, measured at the last snapshot (uptimes use the host's clock). */
  clockOffsetMs: number;
}

/** One point of an agent's resource chart. */
export interface StatPoint {
  /** Epoch ms. */
  t: number;
  cpu: number;
  memoryMB: number;
  /** GPU memory, MB; absent where not known (no NVIDIA GPU). */
  gpuMemoryMB?: number;
}

export interface StatsSlice {
  byAgent: Record<string, Ring<StatPoint>>;
}

/** One line of an agent's output as the window keeps it. */
export interface LogEntry {
  /** Unique within the agent's log while the window is open: a stable key for lists. */
  seq: number;
  /** When the host read the line (epoch ms). */
  ts: number;
  stream: LogStream;
  text: string;
}

export type BacklogState = 'none' | 'loading' | 'loaded';

export interface AgentLog {
  lines: Ring<LogEntry>;
  /** The seq the next line gets. */
  nextSeq: number;
  /** Whether the lines from before the window opened were fetched. */
  backlog: BacklogState;
  /** How many lines were dropped at the cap. */
  dropped: number;
  /** Lines a backlog brought that may still arrive live (skipped then), until a line newer than `until` arrives. */
  expected: { until: number; keys: Record<string, number> } | null;
}

export interface LogsSlice {
  byAgent: Record<string, AgentLog>;
}

export interface AlertsSlice {
  /** Oldest first, by id. */
  items: Alert[];
  loaded: boolean;
}

/** Processes of ours whose agent is gone (GET /api/orphans), as last listed. */
export interface OrphansSlice {
  items: Orphan[];
  loaded: boolean;
}

export type View = NavigateEvent['view'];

/** A command that failed, in the API's words, kept next to what the user did. */
export interface ActionError {
  code: string;
  message: string;
  hint: string | null;
  /** Epoch ms (this window's clock). */
  at: number;
  /** A bulk command that ran: the agents it could not start or stop, each with why, in the host's words. */
  failures?: { name: string; code: string; message: string }[];
}

/** The agent editor, open over the current view. */
export interface EditorState {
  mode: 'create' | 'edit' | 'duplicate';
  /** The agent edited or duplicated; null when creating. */
  name: string | null;
  /** What the form starts with (an example, or the definition being duplicated). */
  template: AgentDefinitionInput | null;
}

export interface UiSlice {
  view: View;
  editor: EditorState | null;
  selected: string | null;
  /** Commands under way, by action key (`start:alpha`, `startAll`). */
  pending: Record<string, true>;
  /** The last error of each action key, until the action succeeds or the error is dismissed. */
  errors: Record<string, ActionError>;
  connection: ConnectionState;
}

/** The settings as the host reports them (without the sandbox's editability: it is read-only here). */
export interface SettingsSlice {
  settings: PublicSettings | null;
  /** Start at login: null where the host cannot (a browser against `agent-tray serve`). */
  startAtLogin: boolean | null;
  settingsFile: string | null;
  /** Where the host keeps agents' secrets (absent: a host that does not say). */
  secrets?: CommandResult<'getSettings'>['secrets'];
  /** Changed settings that apply only after Agent Tray starts again. */
  appliesAfterRestart: string[];
}

/** Every part of the state that events and actions change, without the actions. */
export interface TrayData {
  settings: SettingsSlice;
  agents: AgentsSlice;
  stats: StatsSlice;
  logs: LogsSlice;
  alerts: AlertsSlice;
  orphans: OrphansSlice;
  ui: UiSlice;
}

/** How a search of an agent's log files on disk runs (the API's defaults where absent). */
export interface LogSearchOptions {
  regex?: boolean;
  caseSensitive?: boolean;
  stream?: LogStream | 'all';
  limit?: number;
  /** The previous answer's cursor, for older matches. */
  cursor?: string | null;
}

/** Per-agent actions, as used in action keys. */
export type AgentAction = 'start' | 'stop' | 'restart' | 'kill' | 'update' | 'remove' | 'logs' | 'stats' | 'violations' | 'openLogs' | 'definition' | 'history' | 'searchLogs' | 'env' | 'secret';
/** Actions about no one agent. */
export type GlobalAction = 'startAll' | 'stopAll' | 'discover' | 'create' | 'alerts' | 'settings' | 'startAtLogin' | 'graph' | 'orphans' | 'export' | 'import';
/** Actions about a group of agents (kept under `startGroup[research]`, see groupActionKey). */
export type GroupAction = 'startGroup' | 'stopGroup';

/** What an action's promise gives: the command's result, or the error that was recorded. */
export type ActionOutcome<T> = { ok: true; result: T } | { ok: false; error: ActionError };

export interface TrayActions {
  /** Subscribes to the bridge (snapshot, then events) and loads the alerts; returns the function that ends it. Calling it again while connected returns the same. */
  connect(): () => void;
  /** Applies every queued event now (the scheduler would do it by the next frame). */
  flush(): void;
  start(name: string): Promise<ActionOutcome<AgentStatus>>;
  /** Stops an agent; with `withDependents`, the host first stops every agent that depends on it and runs (dependents first). */
  stop(name: string, opts?: { withDependents?: boolean }): Promise<ActionOutcome<AgentStatus>>;
  restart(name: string): Promise<ActionOutcome<AgentStatus>>;
  kill(name: string): Promise<ActionOutcome<AgentStatus>>;
  /** Starts a stopped agent, stops a live one (a badge's click); does nothing while it is stopping. */
  toggle(name: string): Promise<ActionOutcome<AgentStatus> | null>;
  startAll(): Promise<ActionOutcome<unknown>>;
  stopAll(): Promise<ActionOutcome<unknown>>;
  discover(): Promise<ActionOutcome<unknown>>;
  /** Starts every agent of a group (the host orders them by their dependencies). */
  startGroup(group: string): Promise<ActionOutcome<BulkResult>>;
  /** Stops every agent of a group, dependents first. */
  stopGroup(group: string): Promise<ActionOutcome<BulkResult>>;
  /** The stack graph (GET /api/graph); not kept in the store. */
  loadGraph(): Promise<ActionOutcome<StackGraph>>;
  /** The agents written for another tool (GET /api/export): files, and what the target cannot express; not kept in the store. */
  exportAgents(to: ExportTarget, opts?: { names?: string[]; image?: string[] }): Promise<ActionOutcome<ExportResult>>;
  createAgent(definition: AgentDefinitionInput): Promise<ActionOutcome<AgentStatus>>;
  /** Reads a Procfile, process-compose.yaml or PM2 ecosystem file at the host: with dryRun only the preview, else the agents are created (each arrives by its agent-added event). */
  importAgents(request: CommandInput<'importAgents'>): Promise<ActionOutcome<CommandResult<'importAgents'>>>;
  /** Replaces the definition; with `restart` (a running agent), the host stops it, applies the change (a rename included) and starts it again. */
  updateAgent(name: string, definition: AgentDefinitionInput, opts?: { restart?: boolean }): Promise<ActionOutcome<AgentStatus>>;
  removeAgent(name: string, opts?: { stop?: boolean }): Promise<ActionOutcome<unknown>>;
  /** Fetches the agent's recent output (up to 1000 lines) and merges it before the live lines. */
  loadLogs(name: string, lines?: number): Promise<ActionOutcome<number>>;
  /** Searches the agent's log files on disk, newest first (not kept in the store); `cursor` goes on with older lines. */
  searchLogs(name: string, query: string, opts?: LogSearchOptions): Promise<ActionOutcome<LogSearchResult>>;
  /** Fetches the agent's resource history and merges it before the live samples. */
  loadStats(name: string): Promise<ActionOutcome<number>>;
  loadViolations(name: string): Promise<ActionOutcome<number>>;
  loadAlerts(): Promise<ActionOutcome<number>>;
  /** Marks the alerts with these ids read at the host (all of them without ids); the list shows it. */
  markAlertsRead(ids?: number[]): Promise<ActionOutcome<number>>;
  /** Clears the host's alerts; the list empties. */
  clearAlerts(): Promise<ActionOutcome<number>>;
  /** Lists the orphans (processes of ours whose agent is gone) and keeps them in the store. */
  loadOrphans(): Promise<ActionOutcome<number>>;
  /** Stops one orphan's whole tree; its row goes once stopped. Errors are kept under orphanActionKey(pid). */
  stopOrphan(pid: number): Promise<ActionOutcome<number>>;
  /** Stops every orphan (POST /api/orphans/cleanup); gives how many were stopped. */
  stopAllOrphans(): Promise<ActionOutcome<number>>;
  /** Fetches the settings (also done by connect). */
  loadSettings(): Promise<ActionOutcome<PublicSettings>>;
  updateSettings(changes: SettingsChange): Promise<ActionOutcome<PublicSettings>>;
  setStartAtLogin(enabled: boolean): Promise<ActionOutcome<boolean>>;
  /** Shows the agent's log files in the file manager (desktop app); gives their paths either way. */
  openLogFolder(name: string): Promise<ActionOutcome<{ folder: string; stdout: string; stderr: string; opened: boolean }>>;
  /** The agent's newest `limit` runs from the host's history (not kept in the store). */
  loadHistory(name: string, limit?: number): Promise<ActionOutcome<CommandResult<'history'>>>;
  /** The saved definition of an agent (for the editor). */
  loadDefinition(name: string): Promise<ActionOutcome<AgentDefinitionInput>>;
  /** The agent's own variables and where each comes from (definition, env file, secret; secrets masked), not kept in the store. */
  loadAgentEnv(name: string): Promise<ActionOutcome<CommandResult<'agentEnv'>>>;
  /** Stores a secret variable of the agent in the host's secret store (its name joins secretEnv). */
  setSecret(name: string, key: string, value: string): Promise<ActionOutcome<CommandResult<'setSecret'>>>;
  /** Removes a secret of the agent from the host's secret store (and its name from secretEnv). */
  removeSecret(name: string, key: string): Promise<ActionOutcome<CommandResult<'removeSecret'>>>;
  openEditor(editor: EditorState): void;
  closeEditor(): void;
  select(name: string | null): void;
  navigate(view: View, name?: string | null): void;
  dismissError(key: string): void;
}

export interface TrayState extends TrayData {
  actions: TrayActions;
}
