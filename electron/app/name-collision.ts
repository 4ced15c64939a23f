// Agent names become file names (logs, PID files), and Windows and macOS file systems do not tell
// `a1` from `A1`: a definition made through the API may not take a name that differs from another
// only in case, on any platform, so that agents.json stays portable. Hand edits are not checked.
import { AgentTrayError } from '../core/errors.js';

/** The first of `existing` (other than `except`, the agent being renamed) that differs from `name` only in case, or null; keeping a name is never a collision. */
export function caseCollision(name: string, existing: readonly string[], except?: string): string | null {
  if (name === except) return null; // an update without a rename: a collision made by hand stays the person's own
  const folded = name.toLowerCase();
  return existing.find((other) => other !== except && other !== name && other.toLowerCase() === folded) ?? null;
}

/** Throws `agent-exists` when `name` differs from an existing agent's name only in case. */
export function refuseCaseCollision(name: string, existing: readonly string[], except?: string): void {
  const other = caseCollision(name, existing, except);
  if (other === null) return;
  throw new AgentTrayError('agent-exists', `The name "${name}" differs from the agent "${other}" only in case, and on Windows and macOS both would share the same log and PID files`, {
    hint: `Choose a name that differs from "${other}" by more than case`,
    details: { name, existing: other },
  });
}
