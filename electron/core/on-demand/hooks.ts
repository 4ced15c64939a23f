// What the engine asks of an on-demand agent's relay: the internal port for a start, and the relay's status.
import type { OnDemandStatus } from '../../../shared/status.js';

export interface OnDemandHooks {
  /** Picks the port the agent listens on for this start (Agent Tray holds the public one). */
  internalPort(): Promise<number>;
  /** The relay's status, added to the agent's (the internal port is the engine's: it knows it also for a run it took back). */
  status(): Omit<OnDemandStatus, 'internalPort'>;
}
