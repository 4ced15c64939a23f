// Placeholder page until the real window arrives.

/** The top-level component of the Agent Tray window. */
export function App() {
  return (
    <main className="placeholder">
      <h1>Agent Tray</h1>
      <p>The agent window arrives in a later issue.</p>
      <p>
        Meanwhile the headless host runs with <code>agent-tray serve</code>.
      </p>
    </main>
  );
}
