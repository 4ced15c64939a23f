// After a running agent's definition was saved: it runs on with the one it started with, so the
// editor says so and offers to restart it now.
import { useEffect, useRef } from 'react';

export interface SavedWhileRunningProps {
  name: string;
  onRestart: () => void;
  onClose: () => void;
}

/** "Saved; the changes apply from the next start" with Restart now and Close. */
export function SavedWhileRunning({ name, onRestart, onClose }: SavedWhileRunningProps) {
  const restartRef = useRef<HTMLButtonElement>(null);
  useEffect(() => restartRef.current?.focus(), []);
  return (
    <div className="editor-saved">
      <p role="status" className="editor-saved__text">
        Saved. {name} is still running with its previous definition: the changes apply from its next start.
      </p>
      <div className="editor-footer">
        <span />
        <div className="editor-footer-buttons">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button ref={restartRef} type="button" className="primary" onClick={onRestart}>
            Restart now
          </button>
        </div>
      </div>
    </div>
  );
}
