// Placeholder page until the real window arrives.

/** The top-level component of the Agent Tray window. */
export function App() {
  return (
    <main className="placeholder">
      <h1>Agent Tray</h1>
      <p>The agent window arrives in a later issue.</p>
      <p>
        Meanwhile <code>agent-tray run</code> starts and supervises agents from a terminal.
      </p>
    </main>
  );
}
