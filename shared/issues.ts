// Turns schema validation issues into lines a person can act on: where, and what is wrong.
import type { z } from 'zod';

/** `agents[0].port` style path of an issue. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

/** One line per issue: `agents[1].command: command is empty; …`. */
export function formatIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => `${issuePath([...prefix, ...issue.path])}: ${issue.message}`);
}
