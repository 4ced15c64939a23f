// "+N more": the badges that do not fit the status bar's row, in a popover that the button opens;
// Escape or a click outside closes it, and the focus goes back to the button.
import { useEffect, useId, useRef, useState } from 'react';
import type { BadgeModel } from '../../store/selectors.js';
import { AgentBadge } from './AgentBadge.js';

/** The "+N more" button and its popover listing `rest`. */
export function MoreBadges({ rest }: { rest: readonly BadgeModel[] }) {
  const [open, setOpen] = useState(false);
  const popoverId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  // a click outside closes it
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (boxRef.current && !boxRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  if (rest.length === 0) return null;
  return (
    <div
      ref={boxRef}
      className="status-bar__more"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button ref={buttonRef} type="button" className="status-bar__more-button" aria-expanded={open} aria-controls={popoverId} onClick={() => setOpen((o) => !o)}>
        +{rest.length} more
      </button>
      {open ? (
        <div id={popoverId} className="status-bar__popover" role="group" aria-label="More agents">
          {rest.map((b) => (
            <AgentBadge key={b.name} badge={b} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
