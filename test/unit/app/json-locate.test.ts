// Unit tests for json-locate (jsonc-parser's errors in words): every syntax error gets a line, a
// column and a cause a person recognises (Node 20's JSON.parse gives no position for several), and
// schema errors point at the value they are about.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonSyntaxError, JsonLocator, lineColumn } from '../../../electron/app/json-locate.js';
import { parseAgentsFile } from '../../../electron/app/agents-file.js';
import { AgentTrayError } from '../../../electron/core/errors.js';

/** The problem and its line:column, or null for valid JSON. */
function where(text: string): string | null {
  const p = findJsonSyntaxError(text);
  if (!p) return null;
  const { line, column } = lineColumn(text, p.offset);
  return `${line}:${column} ${p.problem}`;
}

test('syntax errors: each says where and what', () => {
  const cases: [string, RegExp][] = [
    ['{"a": 1,}', /^1:8 a trailing comma \(JSON allows none before '\}'\)/],
    ['[1, 2, ]', /^1:6 a trailing comma \(JSON allows none before '\]'\)/],
    ['{"a": 1 "b": 2}', /^1:9 expected ',' or '\}' after the value of "a", found '"': is a comma missing\?/],
    ['[1 2]', /^1:4 expected ',' or '\]' after item 1 of the list, found '2': is a comma missing\?/],
    ['{"a" 1}', /^1:6 expected ':' after the property name "a"/],
    ["{'a': 1}", /^1:2 expected a property name in double quotes, found '''/],
    ['{"a": \'x\'}', /^1:7 expected a value, found '''.*double quotes/],
    ['{"a": }', /^1:7 expected a value, found '\}'/],
    ['{"a": tru}', /^1:7 unexpected word "tru"/],
    ['{"a": 01}', /^1:7 an invalid number "01"/],
    ['{"a": "x\ny"}', /^1:9 a line break inside a string/],
    ['{"a": "C:\\Users"}', /^1:10 an invalid escape "\\U"/],
    ['{"a": "open', /^1:7 a string that is never closed/],
    ['{\n  "agents": [\n', /^3:1 the file ends inside the list opened at line 2, column 13: a '\]' is missing/],
    ['{"a": 1}}', /^1:9 unexpected '\}' after the end of the JSON value/],
    ['{"a": 1} // note', /^1:10 a comment: JSON allows none/],
    ['   ', /^1:1 the file is empty/],
    // beyond the scanner this replaced
    ['{\n  "a": 1,\n}\n', /^2:9 a trailing comma \(JSON allows none before '\}'\)/],
    ['{"a": "x\u0007"}', /^1:9 a control character \(U\+0007\) inside a string/],
    ['{"a": "C:\\users"}', /^1:10 an invalid escape "\\u"/],
    ['{"a": 1.5.5}', /^1:7 an invalid number "1\.5\.5"/],
    ['{"a": [1}', /^1:9 expected ',' or '\]' after item 1 of the list, found '\}'/],
    ['{"a": 1,]', /^1:9 expected a property name in double quotes, found '\]'/],
    ['{"a" \'x\'}', /^1:6 expected ':' after the property name "a", found '''/],
    ['{"a": true\'}', /^1:11 unexpected ''' right after true/],
    ['{"a": 1,\u00a0}', /^1:9 expected a property name in double quotes, found U\+00A0/],
    ['/* note */ {}', /^1:1 a comment: JSON allows none/],
    ['{"a": 1', /^1:8 the file ends inside the object opened at line 1, column 1: a '\}' is missing/],
  ];
  for (const [text, expected] of cases) assert.match(where(text) ?? 'valid', expected, JSON.stringify(text));
});

test('JSON.parse and json-locate agree on what is valid, and jsonc-parser explains every refusal (mutations of a real file)', () => {
  const base = JSON.stringify({ agents: [{ name: 'web', command: 'node', args: ['-e', 'x\\y "q"'], env: { A: '1' }, port: 8080, autostart: true, stop: null }], n: -1.5e3 }, null, 2);
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pieces = [',', '}', ']', '"', ':', ' ', '0', '-', 'x', '\\', '\n', '{', '['];
  for (let i = 0; i < 400; i++) {
    const at = Math.floor(random() * base.length);
    const op = random();
    const piece = pieces[Math.floor(random() * pieces.length)] as string;
    const text = op < 0.4 ? base.slice(0, at) + base.slice(at + 1) : op < 0.8 ? base.slice(0, at) + piece + base.slice(at) : base.slice(0, at);
    let refusal: string | null = null;
    try {
      JSON.parse(text);
    } catch (err) {
      refusal = (err as Error).message;
    }
    const found = findJsonSyntaxError(text);
    assert.equal(found === null, refusal === null, `${refusal === null ? 'valid' : 'invalid'} text judged otherwise: ${JSON.stringify(text)}`);
    // not the fallback (JSON.parse's own words): jsonc-parser found the fault and it was put in words
    if (found) assert.notEqual(found.problem, refusal, `no explanation for ${JSON.stringify(text)}`);
  }
});

test('where jsonc-parser cannot say (nesting deep enough to overflow its stack), JSON.parse\'s words and position stand', () => {
  const text = '['.repeat(200_000);
  const found = findJsonSyntaxError(text);
  let refusal = '';
  try {
    JSON.parse(text);
  } catch (err) {
    refusal = (err as Error).message;
  }
  assert.deepEqual(found, { offset: text.length, problem: refusal });
  assert.equal(new JsonLocator(`${'['.repeat(200_000)}${']'.repeat(200_000)}`).offsetOf([0]), null);
});

test('Node 20 names no position for a trailing comma in a list: Agent Tray names line 119 and the cause', () => {
  // 29 agents of 4 lines each, every one closed with "}," — the last comma is one too many
  const agents = Array.from({ length: 29 }, (_, i) => [`    {`, `      "name": "agent-${i}",`, `      "command": "node"`, `    },`]).flat();
  const text = ['{', '  "$schema": "./agents.schema.json",', '  "agents": [', ...agents, '  ]', '}', ''].join('\n');
  const commaLine = text.split('\n').lastIndexOf('    },') + 1;
  assert.equal(commaLine, 119, 'the fixture puts the stray comma at line 119');
  try {
    parseAgentsFile(text, '/data/agents.json');
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof AgentTrayError);
    assert.match(err.message, /^\/data\/agents\.json is not valid JSON at line 119, column 6: a trailing comma \(JSON allows none before '\]'\); remove it/);
    assert.deepEqual({ line: err.details.line, column: err.details.column }, { line: 119, column: 6 });
  }
});

test('JsonLocator finds a value, the deepest existing value on a missing path, and an unknown key', () => {
  const text = '{\n  "agents": [\n    { "name": "a", "command": "x" },\n    { "name": "b", "port": 70000, "colour": 1 }\n  ]\n}';
  const locator = new JsonLocator(text);
  const at = (offset: number | null) => (offset === null ? null : lineColumn(text, offset));
  assert.deepEqual(at(locator.offsetOf(['agents', 1, 'port'])), { line: 4, column: 28 });
  assert.deepEqual(at(locator.offsetOf(['agents', 1, 'command'])), { line: 4, column: 5 }, 'a missing field: the agent it belongs to');
  assert.deepEqual(at(locator.offsetOf(['agents', 1], 'colour')), { line: 4, column: 35 });
  assert.equal(new JsonLocator('{ nope').offsetOf(['agents']), null);
});

test('JsonLocator: a name given twice points at the last one, the value JSON.parse keeps', () => {
  const text = '{"port": 1, "port": "x"}';
  const locator = new JsonLocator(text);
  assert.equal(locator.offsetOf(['port']), text.indexOf('"x"'));
  assert.equal(locator.offsetOf([], 'port'), text.lastIndexOf('"port"'));
});
