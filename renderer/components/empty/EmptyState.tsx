// The first-run screen: what an agent is, a button to add one, and examples that fill the editor.
import { useId } from 'react';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import { useTrayActions } from '../../store/react.js';
import { ImportButton } from '../import/ImportButton.js';
import { commandLine, EXAMPLE_AGENTS } from './examples.js';
import './EmptyState.css';

export { EXAMPLE_AGENTS, type ExampleAgent } from './examples.js';

/** Shown instead of the agents list while there are no agents. */
export function EmptyState() {
  const actions = useTrayActions();
  const ids = useId();
  const openWith = (template: AgentDefinitionInput | null) => actions.openEditor({ mode: 'create', name: null, template });

  return (
    <section className="empty-state" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>No agents yet</h2>
      <p>
        An agent is a program Agent Tray keeps running for you: an agent server, a model server such as ollama, an MCP server or a
        background worker. Agent Tray starts it, restarts it when it fails, and shows its state, logs, CPU and memory here and in
        the tray.
      </p>
      <p>
        <button type="button" className="primary" onClick={() => openWith(null)}>
          Add agent
        </button>{' '}
        <ImportButton />
      </p>
      <h3 id={`${ids}-examples`}>Or start from an example</h3>
      <ul className="empty-state__examples" aria-labelledby={`${ids}-examples`}>
        {EXAMPLE_AGENTS.map((example, i) => (
          <li key={example.label} className="empty-state__example">
            <button type="button" aria-describedby={`${ids}-example-${i}`} onClick={() => openWith(structuredClone(example.definition))}>
              {example.label}
            </button>
            <div id={`${ids}-example-${i}`} className="empty-state__summary">
              <code>{commandLine(example.definition)}</code>
              <span className="muted">{example.summary}</span>
            </div>
          </li>
        ))}
      </ul>
      <p className="muted">
        The editor opens with the example filled in: check the fields, then save. Nothing starts until you start it.
      </p>
    </section>
  );
}
