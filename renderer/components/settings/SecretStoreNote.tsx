// The settings page's word on secrets: where the host keeps agents' secret variables, whether the
// system keychain encrypts them, and, when the desktop app had to fall back to a plain 0600 file, why.
import { useTray } from '../../store/react.js';

/** The "Secrets" section; nothing for a host that does not say where its secrets are. */
export function SecretStoreNote() {
  const store = useTray((s) => s.settings.secrets);
  if (!store) return null;
  return (
    <section className="settings-section" aria-label="Secrets">
      <h3>Secrets</h3>
      <p className="muted settings-section-hint">
        Variables ticked &quot;Secret&quot; in the editor (or set with <code>agent-tray secret set</code>) are kept here, never in agents.json:{' '}
        <code>{store.file}</code>, {store.kind === 'safe-storage' ? 'encrypted with the system keychain.' : 'readable only by you (0600), not encrypted.'}
      </p>
      {store.note && <p className="settings-secret-note">{store.note}</p>}
    </section>
  );
}
