// The header row of one group in the agents list: its name, how many of its agents run, Start group
// and Stop group (the host orders them by their dependencies), and the errors of those two.
import type { GroupAction } from '../../store/types.js';
import { useTray, useTrayActions } from '../../store/react.js';
import { groupActionKey } from '../../store/selectors.js';
import type { GroupSummary } from '../../store/stacks.js';
import { ErrorNote } from '../common/ErrorNote.js';

const ACTIONS: { action: GroupAction; label: string }[] = [
  { action: 'startGroup', label: 'Start group' },
  { action: 'stopGroup', label: 'Stop group' },
];

/** The header of `group` (null: the agents in no group). */
export function GroupHeader({ group, colSpan }: { group: GroupSummary | null; colSpan: number }) {
  const ui = useTray((s) => s.ui);
  const actions = useTrayActions();
  if (!group) {
    return (
      <tr className="agents__group">
        <th colSpan={colSpan} scope="colgroup">
          <span className="agents__group-name muted">In no group</span>
        </th>
      </tr>
    );
  }
  const errors = ACTIONS.flatMap(({ action, label }) => {
    const key = groupActionKey(action, group.name);
    const error = ui.errors[key];
    return error ? [{ key, label, error }] : [];
  });
  return (
    <tr className="agents__group">
      <th colSpan={colSpan} scope="colgroup">
        <div className="agents__group-head">
          <span className="agents__group-name">{group.name}</span>
          <span className="muted">
            {group.running} of {group.total} running
          </span>
          <span className="agents__group-actions">
            {ACTIONS.map(({ action, label }) => (
              <button
                key={action}
                type="button"
                disabled={ui.pending[groupActionKey(action, group.name)] === true}
                aria-label={`${label} ${group.name}`}
                onClick={() => void (action === 'startGroup' ? actions.startGroup(group.name) : actions.stopGroup(group.name))}
              >
                {label}
              </button>
            ))}
          </span>
        </div>
        {errors.map((e) => (
          <ErrorNote key={e.key} label={`${e.label} ${group.name}`} error={e.error} onDismiss={() => actions.dismissError(e.key)} />
        ))}
      </th>
    </tr>
  );
}
