// Shows the alerts that deserve it as native notifications; a click opens the window at the agent.
import { Notification } from 'electron';
import type { Alert } from '../../../shared/status.js';
import { notificationFor } from './alert-notification.js';

export interface Notifier {
  /** Looks at one alert and shows its notification if it has one. */
  observe(alert: Alert): void;
}

/** A notifier; `enabled()` is read for every alert, so the setting applies at once. */
export function createNotifier(enabled: () => boolean, openAgent: (name: string | null) => void): Notifier {
  // a notification that is garbage-collected loses its click handler: keep the recent ones
  const shown = new Set<Notification>();
  return {
    observe(alert) {
      if (!Notification.isSupported()) return;
      const n = notificationFor(alert, enabled());
      if (!n) return;
      const notification = new Notification({ title: n.title, body: n.body, silent: false });
      shown.add(notification);
      const forget = (): void => void shown.delete(notification);
      notification.on('click', () => {
        forget();
        openAgent(n.agent);
      });
      notification.on('close', forget);
      notification.on('failed', forget);
      notification.show();
      if (shown.size > 20) forget(); // the oldest ones are long gone from the screen
    },
  };
}
