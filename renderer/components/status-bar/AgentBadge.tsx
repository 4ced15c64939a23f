// One agent's badge: coloured by state, uptime while running, what a waiting agent waits for; a
// click starts or stops it. As a dot it keeps its accessible name and shows its name on hover/focus.
import { useTray, useTrayActions } from '../../store/react.js';
import { isPending, type BadgeModel } from '../../store/selectors.js';

/** The parts of a badge inside its button (also what the ruler measures). */
export function BadgeContent({ badge: b }: { badge: BadgeModel }) {
  return (
    <>
      <span className="badge__dot" aria-hidden="true" />
      <span className="badge__name">{b.name}</span>
      {/* the uptime and what it waits for are drawn by CSS from data-text: the button's accessible name says them in
          words, and its visible text stays the name a person reads and says (a speech user says "click web") */}
      {b.uptimeText ? <span className="badge__uptime" data-text={b.uptimeText} aria-hidden="true" /> : null}
      {b.waitingText ? <span className="badge__waiting" data-text={b.waitingText} aria-hidden="true" /> : null}
    </>
  );
}

/** The badge of agent `badge.name`, in full or (`dot`) as a coloured dot. */
export function AgentBadge({ badge: b, dot = false }: { badge: BadgeModel; dot?: boolean }) {
  const pending = useTray((s) => b.action !== null && isPending(s.ui, b.action, b.name)); // this badge's one flag, not the whole ui slice
  const actions = useTrayActions();
  return (
    <button
      type="button"
      className={dot ? `${b.className} badge--dot` : b.className}
      aria-label={b.label}
      title={b.tooltip}
      disabled={b.action === null || pending}
      onClick={() => void actions.toggle(b.name)}
    >
      <BadgeContent badge={b} />
    </button>
  );
}
