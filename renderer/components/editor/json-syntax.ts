// Why the JSON view's text is not a definition object, in the words the host uses for its own JSON
// files (shared/json-locate.ts): where (line, column) and what (a trailing comma, a missing quote).
import { findJsonSyntaxError, lineColumn } from '../../../shared/json-locate.js';

/** The message for text that is not JSON: "Not valid JSON at line 3, column 5: a trailing comma …". */
export function jsonSyntaxMessage(text: string): string | null {
  if (text.trim() === '') return 'The definition is empty: write one JSON object, { "name": …, "command": … }';
  const found = findJsonSyntaxError(text);
  if (!found) return null;
  const { line, column } = lineColumn(text, found.offset);
  return `Not valid JSON at line ${line}, column ${column}: ${found.problem.replace(/^the file ends/, 'the text ends')}`;
}

/** The message for valid JSON that is not one object. */
export const NOT_AN_OBJECT = 'The definition must be one JSON object: { "name": …, "command": … }';
