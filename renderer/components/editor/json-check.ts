// The JSON view's text checked as the host checks a definition: a syntax error with its line and
// column and its cause in the words the host uses for its own JSON files (shared/json-locate.ts),
// then the shared schema's issues with their paths, in the API's words, each with where it is.
import { JsonLocator, lineColumn } from '../../../shared/json-locate.js';
import { isObject, validateDefinition, type JsonObject, type Validation } from './definition-form.js';
import { jsonSyntaxMessage, NOT_AN_OBJECT } from './json-syntax.js';

export interface JsonCheck {
  /** The object the text holds (valid JSON, one object), or null. */
  value: JsonObject | null;
  /** The schema's verdict on it, when there is one. */
  validation: Validation | null;
  /** What is wrong, one line each; empty when the definition is valid. */
  messages: string[];
}

/** Checks the JSON view's text: syntax first, then the definition's schema (each issue with its path, and its line and column in the text). */
export function checkDefinitionText(text: string): JsonCheck {
  const syntax = jsonSyntaxMessage(text);
  if (syntax) return { value: null, validation: null, messages: [syntax] };
  const value: unknown = JSON.parse(text);
  if (!isObject(value)) return { value: null, validation: null, messages: [NOT_AN_OBJECT] };
  const validation = validateDefinition(value);
  if (validation.ok) return { value, validation, messages: [] };
  const locator = new JsonLocator(text);
  const issues = validation.issues.map((issue) => {
    const offset = locator.offsetOf(issue.path, issue.key);
    if (offset === null) return issue.text;
    const { line, column } = lineColumn(text, offset);
    return `${issue.text} (line ${line}, column ${column})`;
  });
  return { value, validation, messages: issues };
}
