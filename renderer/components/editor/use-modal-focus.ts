// Focus for an in-page modal dialog: Tab stays inside it, Escape asks to close it, and the element
// that had the focus before it opened gets it back when it closes.
import { useCallback, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Every element of `root` that Tab reaches, in order. */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.tabIndex >= 0 && !el.hidden && el.getAttribute('aria-hidden') !== 'true');
}

/** Wires a modal: returns the keydown handler for its root element (Tab wraps around, Escape calls `onEscape`). */
export function useModalFocus(root: RefObject<HTMLElement | null>, onEscape: () => void): (event: KeyboardEvent) => void {
  const opener = useRef<HTMLElement | null>(null);
  // layout effects run before any effect that moves the focus into the dialog
  useLayoutEffect(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      const el = opener.current;
      if (el && el.isConnected) el.focus();
    };
  }, []);

  const escape = useRef(onEscape);
  useLayoutEffect(() => {
    escape.current = onEscape;
  });

  return useCallback(
    (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        escape.current();
        return;
      }
      if (event.key !== 'Tab' || !root.current) return;
      const list = focusables(root.current);
      const first = list[0];
      const last = list[list.length - 1];
      if (!first || !last) return;
      const active = document.activeElement;
      if (event.shiftKey && (active === first || active === root.current)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    },
    [root],
  );
}
