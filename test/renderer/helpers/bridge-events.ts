// Waiting for a bridge's events in tests, with a timeout that says what was awaited.
import type { AgentTrayBridge, BridgeEvent } from '../../../shared/bridge.js';

/** Subscribes and resolves with the first event that matches (the snapshot included), or rejects after `timeoutMs`. */
export function nextEvent<E extends BridgeEvent>(bridge: AgentTrayBridge, match: (e: BridgeEvent) => e is E, timeoutMs: number, what: string): Promise<E>;
export function nextEvent(bridge: AgentTrayBridge, match: (e: BridgeEvent) => boolean, timeoutMs: number, what: string): Promise<BridgeEvent>;
export function nextEvent(bridge: AgentTrayBridge, match: (e: BridgeEvent) => boolean, timeoutMs: number, what: string): Promise<BridgeEvent> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    let off: (() => void) | null = null;
    let done = false;
    const finish = () => {
      done = true;
      clearTimeout(timer);
      off?.();
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw: ${seen.join(', ') || 'nothing'}`));
    }, timeoutMs);
    off = bridge.subscribe((e) => {
      if (done) return;
      seen.push('name' in e ? `${e.type}(${String(e.name)})` : e.type);
      if (!match(e)) return;
      finish();
      resolve(e);
    });
    if (done) off();
  });
}

/** Matches the state event of `name` entering `to`. */
export const isStateOf =
  (name: string, to: string) =>
  (e: BridgeEvent): e is Extract<BridgeEvent, { type: 'state' }> =>
    e.type === 'state' && e.name === name && e.to === to;
