// The variables every agent is started with, so that its processes (and every process they start, daemons
// included) can be recognised as ours, of which agent, of which data directory and of which run.

/** The agent's name. */
export const AGENT_MARKER_VARIABLE = 'AGENT_TRAY_AGENT';
/** The data directory of the host that started it (its resolved root). */
export const DATA_DIR_VARIABLE = 'AGENT_TRAY_DATA_DIR';
/** Which run of the agent started it (set by the engine; older agents lack it). */
export const RUN_ID_VARIABLE = 'AGENT_TRAY_RUN_ID';

/** A process that carries an agent's marker variables. */
export interface MarkedProcess {
  pid: number;
  ppid: number;
  /** The agent it was started for (AGENT_TRAY_AGENT). */
  name: string;
  /** AGENT_TRAY_RUN_ID, or null when the process has none. */
  runId: string | null;
  /** Creation time in epoch ms, as processStartTime() reports it; null when the system did not tell. */
  startTime: number | null;
  commandLine: string | null;
}

/** Which marked processes a scan wants: those of one data directory, and of one agent when `name` is given. */
export interface MarkerFilter {
  dataDir: string;
  name?: string | undefined;
}
