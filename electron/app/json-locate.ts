// Where a JSON text goes wrong, and where a value sits in it. JSON.parse does the parsing; this
// strict scanner (RFC 8259) runs only to explain a failure with an offset and a cause a person
// recognises ("trailing comma": Node 20 says "Unexpected token" with no position), or to point at
// the value a schema refused. jsonc-parser would do this job; it is not a dependency yet (see the
// README's "Agents" section), and this file is the one place to swap it in.

/** A syntax error: where (offset into the text) and what, in words. */
export interface JsonSyntaxProblem {
  offset: number;
  problem: string;
}

/** A scanned value: where it starts, and its members (objects: by key, with the key's offset; arrays: by index). */
interface JsonNode {
  offset: number;
  props?: Map<string, { keyOffset: number; value: JsonNode }>;
  items?: JsonNode[];
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const STRICT_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** A character as a person reads it in a message: '}' or U+0007. */
function describeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
}

/** Reads one JSON text, recording where each value starts; throws ScanError at the first fault. */
class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The whole text: one value and nothing after it. */
  document(): JsonNode {
    this.space();
    if (this.pos >= this.text.length) throw new ScanError(0, 'the file is empty; an empty list of agents is {"agents": []}, empty settings are {}');
    const root = this.value();
    this.space();
    if (this.pos < this.text.length) throw new ScanError(this.pos, `unexpected ${describeChar(this.text[this.pos] as string)} after the end of the JSON value (one } or ] too many?)`);
    return root;
  }

  /** Where the text says "line L, column C". */
  private at(offset: number): string {
    const { line, column } = lineColumn(this.text, offset);
    return `line ${line}, column ${column}`;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  /** Skips JSON whitespace; a comment is an error (JSON has none). */
  private space(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') this.pos++;
      else if (ch === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) throw new ScanError(this.pos, 'a comment: JSON allows none; remove it');
      else return;
    }
  }

  private value(): JsonNode {
    this.space();
    const offset = this.pos;
    const ch = this.peek();
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') {
      this.string();
      return { offset };
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    if (ch !== undefined && /[A-Za-z]/.test(ch)) return this.word();
    if (ch === undefined) throw new ScanError(offset, 'the file ends where a value is expected');
    throw new ScanError(offset, `expected a value, found ${describeChar(ch)}${ch === "'" ? ': strings take double quotes' : ''}`);
  }

  /** The file ended inside a container opened at `start`. */
  private unclosed(start: number, what: string, close: string): never {
    throw new ScanError(this.text.length, `the file ends inside the ${what} opened at ${this.at(start)}: a '${close}' is missing`);
  }

  /** After `,` comes the closing bracket: the comma at `comma` is the fault. */
  private trailingComma(comma: number, close: string): never {
    throw new ScanError(comma, `a trailing comma (JSON allows none before '${close}'); remove it`);
  }

  /** Something other than `,` or the closing bracket followed a member. */
  private expectedSeparator(close: string, after: string): never {
    const ch = this.peek() as string;
    const missingComma = /["{[\-0-9A-Za-z]/.test(ch) ? ': is a comma missing?' : '';
    throw new ScanError(this.pos, `expected ',' or '${close}' after ${after}, found ${describeChar(ch)}${missingComma}`);
  }

  private object(): JsonNode {
    const start = this.pos++;
    const props = new Map<string, { keyOffset: number; value: JsonNode }>();
    let comma: number | null = null;
    for (;;) {
      this.space();
      const ch = this.peek();
      if (ch === '}') {
        if (comma !== null) this.trailingComma(comma, '}');
        this.pos++;
        return { offset: start, props };
      }
      if (ch === undefined) this.unclosed(start, 'object', '}');
      if (ch !== '"') throw new ScanError(this.pos, `expected a property name in double quotes, found ${describeChar(ch)}`);
      const keyOffset = this.pos;
      const key = this.string();
      this.space();
      if (this.peek() === undefined) this.unclosed(start, 'object', '}');
      if (this.peek() !== ':') throw new ScanError(this.pos, `expected ':' after the property name "${key}", found ${describeChar(this.peek() as string)}`);
      this.pos++;
      props.set(key, { keyOffset, value: this.value() });
      this.space();
      const next = this.peek();
      if (next === '}') {
        this.pos++;
        return { offset: start, props };
      }
      if (next === undefined) this.unclosed(start, 'object', '}');
      if (next !== ',') this.expectedSeparator('}', `the value of "${key}"`);
      comma = this.pos++;
    }
  }

  private array(): JsonNode {
    const start = this.pos++;
    const items: JsonNode[] = [];
    let comma: number | null = null;
    for (;;) {
      this.space();
      const ch = this.peek();
      if (ch === ']') {
        if (comma !== null) this.trailingComma(comma, ']');
        this.pos++;
        return { offset: start, items };
      }
      if (ch === undefined) this.unclosed(start, 'list', ']');
      items.push(this.value());
      this.space();
      const next = this.peek();
      if (next === ']') {
        this.pos++;
        return { offset: start, items };
      }
      if (next === undefined) this.unclosed(start, 'list', ']');
      if (next !== ',') this.expectedSeparator(']', `item ${items.length} of the list`);
      comma = this.pos++;
    }
  }

  /** A string starting at the current `"`; returns its value. */
  private string(): string {
    const start = this.pos++;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) throw new ScanError(start, 'a string that is never closed: a \'"\' is missing');
      if (ch === '"') break;
      if (ch === '\\') {
        const esc = this.text[this.pos + 1];
        if (esc !== undefined && '"\\/bfnrt'.includes(esc)) this.pos += 2;
        else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.pos += 6;
        else throw new ScanError(this.pos, `an invalid escape "\\${esc ?? ''}" in a string (a backslash is written "\\\\", e.g. "C:\\\\Users")`);
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) {
        throw new ScanError(this.pos, ch === '\n' || ch === '\r' ? 'a line break inside a string: is a \'"\' missing at the end of the line?' : `a control character (${describeChar(ch)}) inside a string; write it as an escape`);
      }
      this.pos++;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): JsonNode {
    const offset = this.pos;
    const m = /-?[0-9]*(\.[0-9]*)?([eE][+-]?[0-9]*)?/y;
    m.lastIndex = offset;
    const text = m.exec(this.text)?.[0] ?? '';
    if (!STRICT_NUMBER.test(text)) throw new ScanError(offset, `an invalid number "${text}" (no leading zeros, a digit on both sides of the point)`);
    this.pos += text.length;
    return { offset };
  }

  /** true, false or null. */
  private word(): JsonNode {
    const offset = this.pos;
    const m = /[A-Za-z_]+/y;
    m.lastIndex = offset;
    const word = m.exec(this.text)?.[0] ?? '';
    if (word !== 'true' && word !== 'false' && word !== 'null') {
      throw new ScanError(offset, `unexpected word "${word}": JSON values are strings in double quotes, numbers, true, false, null, objects and lists`);
    }
    this.pos += word.length;
    return { offset };
  }
}

/** The first syntax error of `text` with its offset and cause, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  try {
    new Scanner(text).document();
    return null;
  } catch (err) {
    if (err instanceof ScanError) return { offset: err.offset, problem: err.problem };
    throw err;
  }
}

/** A valid JSON text, scanned once, that answers where the value at a path starts. */
export class JsonLocator {
  private readonly root: JsonNode | null;

  constructor(text: string) {
    try {
      this.root = new Scanner(text).document();
    } catch {
      this.root = null;
    }
  }

  /**
   * The offset of the value at `path`; where the path leaves the text (a missing field), the
   * deepest value it reaches. With `key`, the offset of that property's name inside it (an
   * unknown field). Null when the text did not scan.
   */
  offsetOf(path: readonly PropertyKey[], key?: string): number | null {
    if (!this.root) return null;
    let node: JsonNode = this.root;
    for (const part of path) {
      const next: JsonNode | undefined = typeof part === 'number' ? node.items?.[part] : node.props?.get(String(part))?.value;
      if (!next) return node.offset;
      node = next;
    }
    const named = key === undefined ? undefined : node.props?.get(key);
    return named ? named.keyOffset : node.offset;
  }
}
