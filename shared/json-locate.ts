// Where a JSON text goes wrong, and where a value sits in it. JSON.parse does the parsing;
// jsonc-parser (Microsoft's, the parser behind VS Code's JSON editing) runs only to explain a
// failure, since it gives an offset and an error code for every JSON error on every Node version
// (Node 20's JSON.parse names no position for a trailing comma), and to point at the value a schema
// refused. This file turns its codes into causes a person recognises ("a trailing comma"). In
// shared/ so that the host's config files and the window's JSON editor say the same words.
import { parseTree, printParseErrorCode, visit, type JSONPath, type Node, type ParseError, type ParseOptions } from 'jsonc-parser';

/** A syntax error: where (offset into the text) and what, in words. */
export interface JsonSyntaxProblem {
  offset: number;
  problem: string;
}

/** RFC 8259 JSON: no comments, no trailing commas, no empty text. */
const STRICT: ParseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** A JSON string's valid start (RFC 8259 characters and escapes); it stops at its closing quote or its first fault. */
const VALID_STRING_START = /"(?:[ !#-[\]-\uffff]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;

/** What the parser expected next: a property name, ':', a value, or ',' / a closing bracket after a value. */
type Expecting = 'key' | 'colon' | 'value' | 'separator';

/** A container being read: object or list, where it opened, its path. */
interface Open {
  kind: 'object' | 'array';
  offset: number;
  path: JSONPath;
}

/** An error jsonc-parser reported, with what it had read when it came. */
interface Fault {
  code: string;
  offset: number;
  expect: Expecting;
  container: Open['kind'] | undefined;
  comma: number | undefined;
  lastKey: string | undefined;
  lastValue: JSONPath | undefined;
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** A character as a person reads it in a message: '}', or U+0007 / U+00A0 for one that does not show. */
function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return ch !== ' ' && /[\s\p{C}]/u.test(ch) ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
}

/** Reads `text` with jsonc-parser: its errors in order, and the innermost container the end of the text left open. */
function readFaults(text: string): { faults: Fault[]; unclosed: Open | undefined } {
  const stack: Open[] = [];
  const faults: Fault[] = [];
  let expect: Expecting = 'value';
  let comma: number | undefined;
  let lastKey: string | undefined;
  let lastValue: JSONPath | undefined;
  let unclosed: Open | undefined;
  const begin = (kind: Open['kind'], offset: number, path: JSONPath) => {
    stack.push({ kind, offset, path });
    [expect, comma] = [kind === 'object' ? 'key' : 'value', undefined];
  };
  const end = (offset: number) => {
    const open = stack.pop();
    if (open && offset >= text.length) unclosed ??= open;
    [expect, comma, lastValue] = ['separator', undefined, open?.path];
  };
  visit(
    text,
    {
      onObjectBegin: (offset, _length, _line, _column, path) => begin('object', offset, path()),
      onArrayBegin: (offset, _length, _line, _column, path) => begin('array', offset, path()),
      onObjectEnd: end,
      onArrayEnd: end,
      onObjectProperty: (name) => void ([expect, comma, lastKey] = ['colon', undefined, name]),
      onLiteralValue: (_value, _offset, _length, _line, _column, path) => void ([expect, comma, lastValue] = ['separator', undefined, path()]),
      onSeparator: (ch, offset) => {
        const inObject = stack.at(-1)?.kind === 'object';
        [expect, comma] = ch === ':' ? ['value', undefined] : [inObject ? 'key' : 'value', offset];
      },
      onError: (error, offset) => faults.push({ code: printParseErrorCode(error), offset, expect, container: stack.at(-1)?.kind, comma, lastKey, lastValue }),
    },
    STRICT,
  );
  return { faults, unclosed };
}

/** The first fault inside the string that starts at `start` (a bad escape, a raw line break or control character, no closing quote), or null. */
function stringFault(text: string, start: number): JsonSyntaxProblem | null {
  VALID_STRING_START.lastIndex = start;
  VALID_STRING_START.exec(text);
  const at = VALID_STRING_START.lastIndex;
  const ch = text[at];
  const next = text[at + 1];
  if (ch === '"') return null;
  if (ch === undefined || (ch === '\\' && next === undefined)) return { offset: start, problem: 'a string that is never closed: a \'"\' is missing' };
  if (ch === '\\') return { offset: at, problem: `an invalid escape "\\${next}" in a string (a backslash is written "\\\\", e.g. "C:\\\\Users")` };
  if (ch === '\n' || ch === '\r') return { offset: at, problem: 'a line break inside a string: is a \'"\' missing at the end of the line?' };
  return { offset: at, problem: `a control character (${describeChar(ch)}) inside a string; write it as an escape` };
}

/** An invalid number around `offset` ("01", "1.", ".5", "0x10"), or null when the fault is not about a number. */
function numberFault(text: string, { offset, expect }: Fault): JsonSyntaxProblem | null {
  const numberChar = (ch: string | undefined) => ch !== undefined && /[-+.\w]/.test(ch);
  if (!numberChar(text[offset])) return null;
  let start = offset;
  while (numberChar(text[start - 1])) start--;
  let end = offset;
  while (numberChar(text[end])) end++;
  const run = text.slice(start, end);
  // right after a number ("0" then "1"), or a value that starts like one
  const aboutNumber = start < offset ? /^[-\d]/.test(run) : expect === 'value' && /^[-+.]?\d/.test(run);
  if (!aboutNumber) return null;
  return { offset: start, problem: `an invalid number "${run}" (no leading zeros, a digit on both sides of the point)` };
}

/** The text ended early: inside a container, or where a value should be. */
function endFault(text: string, unclosed: Open | undefined): JsonSyntaxProblem {
  if (!unclosed) return { offset: text.length, problem: 'the file ends where a value is expected' };
  const { line, column } = lineColumn(text, unclosed.offset);
  const [what, close] = unclosed.kind === 'array' ? ['list', ']'] : ['object', '}'];
  return { offset: text.length, problem: `the file ends inside the ${what} opened at line ${line}, column ${column}: a '${close}' is missing` };
}

/** Where a value was expected: a single-quoted string, a bare word, true/false/null with something stuck on, or another character. */
function valueFault(text: string, offset: number, ch: string): JsonSyntaxProblem {
  if (ch === "'") return { offset, problem: "expected a value, found ''': strings take double quotes" };
  const word = /[A-Za-z_]\w*/y;
  word.lastIndex = offset;
  const found = word.exec(text)?.[0];
  const stuck = text[offset + (found?.length ?? 0)];
  if ((found === 'true' || found === 'false' || found === 'null') && stuck !== undefined) {
    return { offset: offset + found.length, problem: `unexpected ${describeChar(stuck)} right after ${found}` };
  }
  if (found) return { offset, problem: `unexpected word "${found}": JSON values are strings in double quotes, numbers, true, false, null, objects and lists` };
  return { offset, problem: `expected a value, found ${describeChar(ch)}` };
}

/** A jsonc-parser fault in words, at the place a person would fix. */
function explain(text: string, fault: Fault, unclosed: Open | undefined): JsonSyntaxProblem {
  const { code, offset, expect } = fault;
  const ch = text[offset];
  if (code === 'InvalidCommentToken') return { offset, problem: 'a comment: JSON allows none; remove it' };
  if (ch === undefined) return endFault(text, unclosed);
  if (expect === 'colon') return { offset, problem: `expected ':' after the property name "${fault.lastKey}", found ${describeChar(ch)}` };
  const number = numberFault(text, fault);
  if (number) return number;
  const inString = ch === '"' && expect !== 'separator' ? stringFault(text, offset) : null;
  if (inString) return inString;
  const close = fault.container === 'array' ? ']' : '}';
  if (ch === close && fault.comma !== undefined) return { offset: fault.comma, problem: `a trailing comma (JSON allows none before '${ch}'); remove it` };
  if (expect === 'key') return { offset, problem: `expected a property name in double quotes, found ${describeChar(ch)}` };
  if (expect === 'value') return valueFault(text, offset, ch);
  if (!fault.container) return { offset, problem: `unexpected ${describeChar(ch)} after the end of the JSON value (${ch === '}' || ch === ']' ? `one ${ch} too many?` : 'a file holds one value'})` };
  const last = fault.lastValue?.at(-1);
  const after = typeof last === 'number' ? `item ${last + 1} of the list` : `the value of "${String(last)}"`;
  const missingComma = /["'{[\-0-9A-Za-z]/.test(ch) ? ': is a comma missing?' : '';
  return { offset, problem: `expected ',' or '${close}' after ${after}, found ${describeChar(ch)}${missingComma}` };
}

/** The first syntax error of `text` with its offset and cause, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  let parseError: Error;
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    parseError = err as Error;
  }
  if (text.trim() === '') return { offset: 0, problem: 'the file is empty; an empty list of agents is {"agents": []}, empty settings are {}' };
  try {
    const { faults, unclosed } = readFaults(text);
    if (faults[0]) return explain(text, faults[0], unclosed);
  } catch {
    // jsonc-parser recurses: a text nested thousands deep overflows the stack; JSON.parse's words will do
  }
  // jsonc-parser found nothing JSON.parse refused: say what JSON.parse said, where it said it
  const position = /position (\d+)/.exec(parseError.message);
  return { offset: position ? Number(position[1]) : text.length, problem: parseError.message };
}

/** The property node named `key` of an object node; the last one wins, as in JSON.parse. */
function property(node: Node, key: string): Node | undefined {
  return node.type === 'object' ? node.children?.findLast((p) => p.children?.[0]?.value === key) : undefined;
}

/** The value one step down a path: an object's property or a list's item. */
function child(node: Node, part: PropertyKey): Node | undefined {
  if (typeof part === 'number') return node.type === 'array' ? node.children?.[part] : undefined;
  return property(node, String(part))?.children?.[1];
}

/** A valid JSON text, parsed once, that answers where the value at a path starts. */
export class JsonLocator {
  private readonly root: Node | undefined;

  constructor(text: string) {
    const errors: ParseError[] = [];
    try {
      const root = parseTree(text, errors, STRICT);
      this.root = errors.length === 0 ? root : undefined;
    } catch {
      this.root = undefined;
    }
  }

  /**
   * The offset of the value at `path`; where the path leaves the text (a missing field), the
   * deepest value it reaches. With `key`, the offset of that property's name inside it (an
   * unknown field). Null when the text is not valid JSON.
   */
  offsetOf(path: readonly PropertyKey[], key?: string): number | null {
    if (!this.root) return null;
    let node = this.root;
    for (const part of path) {
      const next = child(node, part);
      if (!next) return node.offset;
      node = next;
    }
    const named = key === undefined ? undefined : property(node, key);
    return named?.children?.[0]?.offset ?? node.offset;
  }
}
