// Turns schema validation issues into lines a person can act on: where, and what is wrong.
import type { z } from 'zod';

/** `agents[0].port` style path of an issue. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      // a key that is not a plain word (an env name with "=", an empty one) is quoted, so the path stays readable
      const key = typeof part === 'string' && !/^[A-Za-z0-9_$-]+$/.test(part) ? JSON.stringify(part) : String(part);
      out += out ? `.${key}` : key;
    }
  }
  return out || '(top level)';
}

/** One line per issue: `agents[1].command: command is empty; …`. */
export function formatIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => `${issuePath([...prefix, ...issue.path])}: ${issue.message}`);
}
