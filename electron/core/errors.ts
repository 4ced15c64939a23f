// The one error type of the engine: a readable message that names the thing, the cause and the fix,
// a stable code for programs, and the original error as `cause`.

import type { ErrorCode } from '../../shared/errors.js';

export type { ErrorCode };

export class AgentTrayError extends Error {
  override readonly name = 'AgentTrayError';
  readonly code: ErrorCode;
  /** What the person can do about it. */
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(opts.hint ? `${message}. ${opts.hint}` : message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details ?? {};
  }
}

/** An error for a name that no agent has. */
export function unknownAgent(name: string, known: readonly string[]): AgentTrayError {
  const list = known.length ? `known agents: ${known.join(', ')}` : 'no agents are defined yet';
  return new AgentTrayError('unknown-agent', `No agent named "${name}" (${list})`, {
    hint: 'Check the spelling, or add the agent to agents.json',
    details: { name },
  });
}
