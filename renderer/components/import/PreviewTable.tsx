// The import preview: each agent the file becomes, its command, whether it is created or skipped
// (and why), and what of its settings could not be carried over, with the reason.
import type { ImportResult } from '../../../shared/import.js';
import { commandLine } from '../detail/display.js';

/** The agents of an import preview as a table. */
export function PreviewTable({ result }: { result: ImportResult }) {
  if (result.agents.length === 0) return <p className="muted">The file has no agents to import.</p>;
  return (
    <table className="import-preview">
      <caption className="visually-hidden">Agents in the file</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Command</th>
          <th scope="col">Status</th>
          <th scope="col">Not carried over</th>
        </tr>
      </thead>
      <tbody>
        {result.agents.map((a) => (
          <tr key={a.name} className={a.status === 'skip' ? 'import-preview__skip' : undefined}>
            <th scope="row">
              {a.name}
              {a.source !== a.name ? <span className="muted import-preview__source"> (from “{a.source}”)</span> : null}
            </th>
            <td>
              <code>{commandLine(a.definition.command, a.definition.args ?? [])}</code>
            </td>
            <td>
              {a.status === 'create' ? (
                <span className="import-status import-status--create">create</span>
              ) : (
                <>
                  <span className="import-status import-status--skip">skip</span> <span className="import-preview__reason">{a.reason}</span>
                </>
              )}
            </td>
            <td>
              {a.notCarried.length === 0 ? (
                <span className="muted">—</span>
              ) : (
                <ul className="import-preview__lost">
                  {a.notCarried.map((n, i) => (
                    <li key={`${n.field}-${i}`}>
                      <code>{n.field}</code>: {n.reason}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
