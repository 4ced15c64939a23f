// The `io-error` event: a file that could not be written (an agent's log, the run history, a host
// file), in the same words as the API's disk-full / not-writable / permission-denied answers.
import type { EngineEvent } from '../../shared/status.js';
import { AgentTrayError } from './errors.js';
import { fileError } from './io-errors.js';

export type IoErrorEvent = Extract<EngineEvent, { type: 'io-error' }>;

/** The operating system's code of a file error (ENOSPC, EROFS, EACCES, …), also inside a fileError; 'EIO' when it has none. */
export function errnoOf(err: unknown): string {
  if (err instanceof AgentTrayError) {
    const errno = err.details.errno;
    if (typeof errno === 'string' && errno) return errno;
    return errnoOf(err.cause);
  }
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code ? code : 'EIO';
}

/** The event for a failed `action` ("write", "append to") on `file`; `name`: the agent whose file it is, null for a host file. */
export function ioErrorEvent(err: unknown, file: string, name: string | null, action = 'write', at = Date.now()): IoErrorEvent {
  const message = err instanceof AgentTrayError ? err.message : fileError(err, file, action).message;
  return { type: 'io-error', name, file, code: errnoOf(err), message, at };
}
