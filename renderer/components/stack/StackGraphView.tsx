// The stack drawn as a graph: a box per agent coloured by its state, in columns by dependency level
// (dependencies on the left), an arrow from each dependency to the agent that needs it, labelled
// with the condition: solid while it holds, dashed while it does not. A box opens its agent. The
// same facts are listed for screen readers.
import { useId, useMemo, type KeyboardEvent } from 'react';
import type { StackGraph } from '../../store/stacks.js';
import { stateColour } from '../../store/selectors.js';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.js';
import './stack.css';

export interface StackGraphViewProps {
  graph: StackGraph;
  /** The accessible name of the drawing: "Stack of server". */
  label: string;
  /** Opens an agent (a click or Enter on its box). */
  onOpen?: (name: string) => void;
  /** The agent the page is about: drawn with a heavier border. */
  current?: string;
}

/** `text` cut to `max` characters with an ellipsis. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The stack graph of `graph`. */
export function StackGraphView({ graph, label, onOpen, current }: StackGraphViewProps) {
  const layout = useMemo(() => layoutGraph(graph), [graph]);
  const ids = useId();
  const arrow = `${ids}-arrow`;
  const onKey = (event: KeyboardEvent, name: string) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onOpen?.(name);
  };
  return (
    <figure className="stack-graph">
      <div className="stack-graph__scroll">
        <svg width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-label={label}>
          <defs>
            <marker id={arrow} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="stack-graph__arrowhead" />
            </marker>
          </defs>
          <g aria-hidden="true">
            {layout.edges.map((e) => (
              <g key={`${e.from}->${e.to}`} className={`stack-edge stack-edge--${e.met ? 'met' : 'unmet'}`}>
                <path d={e.path} markerEnd={`url(#${arrow})`} />
                <text x={e.labelX} y={e.labelY - 4} textAnchor="middle" className="stack-edge__label">
                  {e.condition}
                </text>
              </g>
            ))}
          </g>
          {layout.nodes.map((n) => (
            <g
              key={n.name}
              className={`stack-node stack-node--${stateColour(n.state)}${n.name === current ? ' stack-node--current' : ''}`}
              transform={`translate(${n.x} ${n.y})`}
              role={onOpen ? 'button' : 'img'}
              tabIndex={onOpen ? 0 : undefined}
              aria-label={`${n.name}: ${n.state}${n.ready ? ', ready' : ''}`}
              onClick={onOpen ? () => onOpen(n.name) : undefined}
              onKeyDown={onOpen ? (e) => onKey(e, n.name) : undefined}
            >
              <title>{`${n.name}: ${n.state}${n.groups.length ? ` · groups ${n.groups.join(', ')}` : ''}`}</title>
              <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
              <text x="10" y="19" className="stack-node__name">
                {clip(n.name, 18)}
              </text>
              <text x="10" y="36" className="stack-node__state">
                {n.state}
                {n.ready ? ' · ready' : ''}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <ul className="visually-hidden" aria-label={`${label}: dependencies`}>
        {graph.edges.map((e) => (
          <li key={`${e.from}->${e.to}`}>{`${e.from} needs ${e.to} ${e.condition}: ${e.met ? 'met' : 'not yet'}`}</li>
        ))}
      </ul>
    </figure>
  );
}
