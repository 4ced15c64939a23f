// Which alerts the person has seen: the newest alert shown when the alerts view was last open,
// kept in localStorage so that the navigation's badge counts only newer critical alerts, also
// after a reload. Alert ids restart with the host, so alerts compare by time first, then id.
import type { Alert } from '../../../shared/status.js';

export const ALERTS_SEEN_KEY = 'agent-tray:alerts-seen';
/** Dispatched on window when this page marks alerts seen (the storage event covers other tabs). */
const SEEN_EVENT = 'agent-tray:alerts-seen';

export interface SeenMark {
  at: number;
  id: number;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

/** The stored mark as text (a stable snapshot for useSyncExternalStore), or null. */
export function readSeenText(): string | null {
  try {
    return storage()?.getItem(ALERTS_SEEN_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The mark in `text`, or null when there is none or it is not one. */
export function parseSeen(text: string | null): SeenMark | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<SeenMark>;
    return typeof v.at === 'number' && typeof v.id === 'number' ? { at: v.at, id: v.id } : null;
  } catch {
    return null;
  }
}

/** True when `alert` came after the mark. */
export function isNewer(alert: SeenMark, mark: SeenMark | null): boolean {
  if (!mark) return true;
  return alert.at > mark.at || (alert.at === mark.at && alert.id > mark.id);
}

/** Remembers `alert` as the newest one seen (never moves the mark back). */
export function markSeen(alert: SeenMark): void {
  if (!isNewer(alert, parseSeen(readSeenText()))) return;
  try {
    storage()?.setItem(ALERTS_SEEN_KEY, JSON.stringify({ at: alert.at, id: alert.id }));
  } catch {
    return; // storage full or disabled: the badge counts from the start again
  }
  globalThis.dispatchEvent?.(new Event(SEEN_EVENT));
}

/** Calls `onChange` when the mark changes, here or in another tab; returns the function that ends it. */
export function subscribeSeen(onChange: () => void): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.key === null || e.key === ALERTS_SEEN_KEY) onChange();
  };
  globalThis.addEventListener(SEEN_EVENT, onChange);
  globalThis.addEventListener('storage', onStorage);
  return () => {
    globalThis.removeEventListener(SEEN_EVENT, onChange);
    globalThis.removeEventListener('storage', onStorage);
  };
}

/** How many critical alerts came after the mark. */
export function countNewCritical(items: readonly Alert[], mark: SeenMark | null): number {
  let n = 0;
  for (const a of items) if (a.severity === 'critical' && isNewer(a, mark)) n++;
  return n;
}
