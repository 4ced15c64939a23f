// The agents list as the stack graph: the graph the host answers (GET /api/graph), fetched again
// when an agent's dependencies change, with each box's state and each condition's truth kept live
// from the statuses (drawn from the statuses alone until the host answers, or when it cannot).
import { useEffect, useMemo, useState } from 'react';
import { useTray, useTrayActions } from '../../store/react.js';
import { actionKey, agentList } from '../../store/selectors.js';
import { stackGraphOf, withLiveState, type StackGraph } from '../../store/stacks.js';
import type { TrayState } from '../../store/types.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { StackGraphView } from './StackGraphView.js';
import './stack.css';

/** What the graph's shape depends on: the agents and their dependsOn (not their states). */
function structureKey(state: TrayState): string {
  return JSON.stringify(state.agents.order.map((n) => [n, state.agents.byName[n]?.dependsOn ?? null]));
}

/** The stack graph of every agent. */
export function GraphPanel() {
  const agents = useTray((s) => s.agents);
  const structure = useTray(structureKey);
  const error = useTray((s) => s.ui.errors[actionKey('graph')] ?? null);
  const actions = useTrayActions();
  const [fetched, setFetched] = useState<StackGraph | null>(null);
  const [attempt, setAttempt] = useState(0);
  const list = useMemo(() => agentList(agents), [agents]);

  useEffect(() => {
    let live = true;
    void actions.loadGraph().then((outcome) => {
      if (live && outcome.ok) setFetched(outcome.result);
    });
    return () => {
      live = false;
    };
  }, [actions, structure, attempt]);

  // until the host answers (or when it could not), the graph drawn from the statuses
  const graph = useMemo(() => (fetched ? withLiveState(fetched, list) : stackGraphOf(list)), [fetched, list]);
  const open = (name: string) => actions.navigate('agent', name);

  return (
    <div className="stack-panel">
      {error && (
        <ErrorNote error={error} onDismiss={() => actions.dismissError(actionKey('graph'))}>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </ErrorNote>
      )}
      {graph.edges.length === 0 && <p className="muted">No agent depends on another yet: add dependencies in an agent&apos;s editor (Depends on).</p>}
      <StackGraphView graph={graph} label="Stack graph" onOpen={open} />
      <p className="muted stack-panel__legend">Dependencies on the left; each arrow goes to the agent that needs it, labelled with the condition: solid while it holds, dashed while it does not.</p>
    </div>
  );
}
