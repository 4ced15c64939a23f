// Error codes every client sees, and the HTTP status each one maps to. The body of an error is
// always `{ "error": { "code", "message", "hint"?, "details"? } }`.
import { z } from 'zod';

export const ERROR_HTTP_STATUS = {
  'bad-request': 400, // the request's body, query or path is invalid
  'invalid-definition': 400,
  'sandbox-refused': 400, // a definition breaks a rule of the command sandbox
  unauthorized: 401,
  'forbidden-origin': 403,
  'unknown-agent': 404,
  'not-found': 404,
  'agent-exists': 409,
  conflict: 409, // the action is refused in the current state (port in use, agent running, …)
  'invalid-config': 500,
  'cwd-missing': 409,
  'command-not-found': 409,
  'env-file-missing': 409, // an agent's envFile does not exist or cannot be read (at its start)
  'secret-missing': 409, // a variable of an agent's secretEnv has no value in the secret store (at its start)
  'spawn-failed': 409,
  'port-in-use': 409, // the agent's port is held by another process
  'stop-failed': 500,
  'not-ready': 409, // ensure: the agent could not be made running
  timeout: 504, // ensure: not running within the caller's timeout
  'io-failed': 500,
  'disk-full': 507, // a write failed because the disk (or the user's quota) is full
  'not-writable': 409, // a file system is read-only (EROFS) or a file is locked
  'permission-denied': 403, // the operating system refused access to a file (EACCES, EPERM)
  'config-changed': 409, // a file changed on disk since it was read and could not be merged
  'host-locked': 409,
  'helper-failed': 500, // Windows: agent-tray-helper.exe is missing, of another version, or Windows refused one of its steps
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** The HTTP status for an error code (500 for codes this version does not know). */
export function httpStatusFor(code: string): number {
  return (ERROR_HTTP_STATUS as Record<string, number>)[code] ?? 500;
}
