// Every error the API answers with, in one shape: `{ "error": { code, message, hint?, details? } }`
// with the HTTP status of its code. AgentTrayErrors keep their code; errors of the HTTP layer
// (bad JSON, a body too large, an unknown route) become `bad-request` / `not-found`; a file error
// of the machine's state (a full disk, a read-only file system, a refused permission) that reached
// here unwrapped still gets its own code; anything else is a 500 `internal` whose stack the caller logs.
import { httpStatusFor, type ApiError } from '../../shared/errors.js';
import { AgentTrayError } from '../core/errors.js';
import { fileError, isEnvironmentIoError } from '../core/io-errors.js';

export interface ErrorReply {
  status: number;
  body: ApiError;
  /** True for errors nobody planned for: the caller logs their stack. */
  unexpected: boolean;
}

/** What the request was, for messages. */
export interface RequestContext {
  method: string;
  path: string;
  contentType?: string | undefined;
  bodyLimit?: number | undefined;
}

/** The body of an error with `code`, `message` and optional `hint` and `details`. */
export function errorBody(code: string, message: string, hint?: string, details?: Record<string, unknown>): ApiError {
  return { error: { code, message, ...(hint ? { hint } : {}), ...(details && Object.keys(details).length ? { details } : {}) } };
}

/** The message of an AgentTrayError without the hint its constructor appended (the body carries the hint apart). */
function ownMessage(err: AgentTrayError): string {
  const suffix = err.hint ? `. ${err.hint}` : '';
  return suffix && err.message.endsWith(suffix) ? err.message.slice(0, -suffix.length) : err.message;
}

/** The code, message and hint of an error raised by the HTTP layer (Fastify, the body parser). */
function httpLayerError(err: Error & { statusCode: number; code?: string }, ctx: RequestContext): ApiError {
  const limit = ctx.bodyLimit ? ` of ${ctx.bodyLimit} bytes` : '';
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errorBody('bad-request', `The request body of ${ctx.method} ${ctx.path} is larger than the limit${limit}`, 'Send a smaller body; agent definitions are a few kilobytes');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errorBody('bad-request', `The request body of ${ctx.method} ${ctx.path} has Content-Type "${ctx.contentType ?? ''}", which the API does not read`, 'Send JSON with Content-Type: application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errorBody('bad-request', `The request body of ${ctx.method} ${ctx.path} is not valid JSON`, 'Send a JSON object with Content-Type: application/json');
    default:
      return errorBody(err.statusCode === 404 ? 'not-found' : 'bad-request', err.message);
  }
}

/** The verb of a failed system call, for "Could not … FILE" ("open", "write", "rename", …). */
const SYSCALL_ACTION: Record<string, string> = { open: 'open', write: 'write', writev: 'write', rename: 'rename', mkdir: 'create', unlink: 'remove', rmdir: 'remove', copyfile: 'copy', chmod: 'change the mode of', fsync: 'write', fdatasync: 'write', close: 'write' };

/** An errno error of a full disk, a read-only file system or a refused permission that no layer wrapped: the file it names, else the request's target. */
function unwrappedFileError(err: NodeJS.ErrnoException, ctx: RequestContext, named?: unknown): AgentTrayError {
  const target = (err as { dest?: string }).dest ?? err.path; // a rename names its destination: the file being saved
  const file = typeof named === 'string' && named ? named : (target ?? `a file (while answering ${ctx.method} ${ctx.path})`);
  return fileError(err, file, SYSCALL_ACTION[err.syscall ?? ''] ?? 'write');
}

/** The errno error of a full disk, a read-only file system or a refused permission in `err` or its chain of causes; null when there is none. */
function environmentCause(err: unknown): NodeJS.ErrnoException | null {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isEnvironmentIoError(e)) return e as NodeJS.ErrnoException;
  }
  return null;
}

/** The status and body for any error thrown while answering a request. */
export function errorReply(err: unknown, ctx: RequestContext): ErrorReply {
  // an AgentTrayError keeps its own code, unless it only says "something failed" about a file error of this kind
  const io = err instanceof AgentTrayError && err.code !== 'internal' && err.code !== 'io-failed' ? null : environmentCause(err);
  if (io) err = unwrappedFileError(io, ctx, err instanceof AgentTrayError ? err.details.file : undefined);
  if (err instanceof AgentTrayError) {
    return { status: httpStatusFor(err.code), body: errorBody(err.code, ownMessage(err), err.hint, err.details), unexpected: false };
  }
  const e = err as (Error & { statusCode?: unknown; code?: string }) | null;
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: httpLayerError(e as Error & { statusCode: number }, ctx), unexpected: false };
  }
  const message = e instanceof Error ? e.message : String(err);
  return {
    status: 500,
    body: errorBody('internal', `Internal error while answering ${ctx.method} ${ctx.path}: ${message}`, 'This is a bug in Agent Tray; the host logged the details on its stderr'),
    unexpected: true,
  };
}
