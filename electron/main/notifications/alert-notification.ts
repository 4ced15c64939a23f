// Which alerts become a desktop notification, and what it says. An agent that crashes, gives up,
// fails to start or turns unhealthy is worth interrupting a person for; the alert centre's
// cooldown already keeps a flapping agent from flooding. Pure: the glue shows it with Electron.
import type { Alert } from '../../../shared/status.js';

export interface AlertNotification {
  title: string;
  body: string;
  /** The agent a click opens in the window; null for host-wide alerts. */
  agent: string | null;
}

/** Longest body; notification centres cut long text anyway, and badly. */
export const NOTIFICATION_BODY_MAX = 240;

function titleFor(alert: Alert, name: string): string | null {
  switch (alert.kind) {
    case 'crashed':
      return alert.severity === 'warning' ? `${name} crashed and will restart` : `${name} crashed`;
    case 'gave-up':
      return `${name} crashed and gave up restarting`;
    case 'errored':
      return `${name} could not start`;
    case 'unhealthy':
      return `${name} is unhealthy`;
    default:
      return null; // limits, memory trends, utilization: shown in the window's alerts, not pushed
  }
}

/** The notification for `alert`, or null when it should not interrupt (or notifications are off). */
export function notificationFor(alert: Alert, enabled: boolean): AlertNotification | null {
  if (!enabled || alert.name === null) return null;
  const title = titleFor(alert, alert.name);
  if (!title) return null;
  const text = alert.message.trim();
  const body = text.length > NOTIFICATION_BODY_MAX ? `${text.slice(0, NOTIFICATION_BODY_MAX - 1)}…` : text;
  return { title, body, agent: alert.name };
}
