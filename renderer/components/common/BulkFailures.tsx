// The agents a bulk command (Start all, Stop all, Start group, Stop group) could not start or stop,
// each with why, after the error note's "2 of 5 failed": one line cut with an ellipsis, whole in
// its tooltip and while a link in it has focus; each name links to its agent.
import { Fragment, type MouseEvent } from 'react';
import { useTrayActions } from '../../store/react.js';
import { formatHash } from '../../store/routing.js';
import type { ActionError } from '../../store/types.js';
import './bulk-failures.css';

export type Failure = NonNullable<ActionError['failures']>[number];

/** Why one agent failed, without the `Agent "web": ` the host's message may start with (the name is said already). */
export function reasonOf(failure: Failure): string {
  const prefix = `Agent "${failure.name}": `;
  return failure.message.startsWith(prefix) ? failure.message.slice(prefix.length) : failure.message;
}

/** The whole summary as text ("web: port 8080 is taken; db: command not found"), for the tooltip. */
export function failuresText(failures: readonly Failure[]): string {
  return failures.map((f) => `${f.name}: ${reasonOf(f)}`).join('; ');
}

/** Each failed agent, linked, with its reason. */
export function BulkFailures({ failures }: { failures: readonly Failure[] }) {
  const actions = useTrayActions();
  const open = (e: MouseEvent, name: string) => {
    e.preventDefault();
    actions.navigate('agent', name);
  };
  return (
    <span className="bulk-failures" title={failuresText(failures)}>
      {' — '}
      {failures.map((f, i) => (
        <Fragment key={f.name}>
          {i > 0 ? '; ' : null}
          <a href={formatHash({ view: 'agent', name: f.name })} onClick={(e) => open(e, f.name)} className="bulk-failures__agent">
            {f.name}
          </a>
          : <span className="bulk-failures__why">{reasonOf(f)}</span>
        </Fragment>
      ))}
    </span>
  );
}
