// "Import…": opens the import dialog (next to "Add agent" in the agents list and the first-run
// screen). The dialog is drawn at the end of the page, not inside the button's paragraph or toolbar.
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { ImportDialog } from './ImportDialog.js';

/** The button and, while open, the dialog. */
export function ImportButton({ className }: { className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)}>
        Import…
      </button>
      {open ? createPortal(<ImportDialog onClose={() => setOpen(false)} />, document.body) : null}
    </>
  );
}
