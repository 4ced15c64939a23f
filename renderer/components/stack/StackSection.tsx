// The stack part of an agent's page: its groups, what it depends on and what depends on it, each
// condition with whether it holds now (worked out from the statuses), whether a running agent is
// ready, and a drawing of the stack it belongs to. Nothing when the agent is in no stack and no group.
import { useMemo } from 'react';
import type { AgentStatus } from '../../../shared/status.js';
import { useTray, useTrayActions } from '../../store/react.js';
import { agentList } from '../../store/selectors.js';
import { componentOf, dependencyRows, dependentRows, stackGraphOf } from '../../store/stacks.js';
import { formatWhen } from '../detail/display.js';
import { StackGraphView } from './StackGraphView.js';
import './stack.css';

/** "met", "not yet" or "no such agent", with its colour class. */
function Truth({ met, missing }: { met: boolean; missing?: boolean }) {
  const kind = missing ? 'missing' : met ? 'met' : 'unmet';
  const text = missing ? 'no such agent' : met ? 'met' : 'not yet';
  return <span className={`stack-deps__truth stack-deps__truth--${kind}`}>{text}</span>;
}

/** The Stack section of agent `status.name`'s overview. */
export function StackSection({ status, now }: { status: AgentStatus; now: number }) {
  const agents = useTray((s) => s.agents);
  const actions = useTrayActions();
  const list = useMemo(() => agentList(agents), [agents]);
  const needs = useMemo(() => dependencyRows(status, agents.byName), [status, agents.byName]);
  const neededBy = useMemo(() => dependentRows(status.name, list), [status.name, list]);
  const graph = useMemo(() => componentOf(stackGraphOf(list), status.name), [list, status.name]);
  const groups = status.groups ?? [];
  if (needs.length === 0 && neededBy.length === 0 && groups.length === 0) return null;
  const open = (name: string) => actions.navigate('agent', name);

  return (
    <section className="detail-section detail-stack" aria-label="Stack">
      <h3>Stack</h3>
      {groups.length > 0 && <p>Groups: {groups.join(', ')}</p>}
      {status.ready !== undefined && status.state === 'running' && (
        <p>
          {status.ready ? (
            <>
              <span className="stack-deps__truth--met">ready</span>
              {status.readyAt ? <span className="muted"> since {formatWhen(status.readyAt, now)}</span> : null}
            </>
          ) : (
            <span className="stack-deps__truth--unmet">not ready yet in this run</span>
          )}
        </p>
      )}
      {needs.length > 0 && (
        <>
          <h4 className="stack-subhead">Depends on</h4>
          <ul className="stack-deps" aria-label={`What ${status.name} depends on`}>
            {needs.map((d) => (
              <li key={d.agent}>
                {d.state === null ? (
                  <code>{d.agent}</code>
                ) : (
                  <button type="button" className="link" onClick={() => open(d.agent)}>
                    {d.agent}
                  </button>
                )}
                <span className="stack-deps__condition">{d.condition}</span>
                {d.state !== null && <span className="muted">{d.state}</span>}
                <Truth met={d.met} missing={d.state === null} />
              </li>
            ))}
          </ul>
        </>
      )}
      {neededBy.length > 0 && (
        <>
          <h4 className="stack-subhead">Needed by</h4>
          <ul className="stack-deps" aria-label={`What depends on ${status.name}`}>
            {neededBy.map((d) => (
              <li key={d.agent}>
                <button type="button" className="link" onClick={() => open(d.agent)}>
                  {d.agent}
                </button>
                <span className="stack-deps__condition">needs it {d.condition}</span>
                <span className="muted">{d.state}</span>
                <Truth met={d.met} />
              </li>
            ))}
          </ul>
        </>
      )}
      {graph.edges.length > 0 && <StackGraphView graph={graph} label={`Stack of ${status.name}`} current={status.name} onOpen={open} />}
    </section>
  );
}
