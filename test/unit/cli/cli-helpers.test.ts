// The pure parts of open, edit, logs colour and the bulk commands: the window's address, the
// opener per platform, the editor chosen, what counts as no change, escape codes, restart order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opener, windowUrl } from '../../../electron/cli/open.js';
import { editorCommand, unchanged } from '../../../electron/cli/edit.js';
import { keepEscapes, stripAnsi } from '../../../electron/cli/logs.js';
import { dependencyOrder, failureSummary } from '../../../electron/cli/bulk.js';

test('open: the host\'s page with its token, an agent\'s page by its hash', () => {
  assert.equal(windowUrl('http://127.0.0.1:4821/', 'T0k-en_', null), 'http://127.0.0.1:4821/?token=T0k-en_');
  assert.equal(windowUrl('http://127.0.0.1:4821', 'tok', 'web.ui'), 'http://127.0.0.1:4821/?token=tok#/agents/web.ui');
  assert.equal(windowUrl('http://[::1]:9/', 'a+b/c', 'x'), 'http://[::1]:9/?token=a%2Bb%2Fc#/agents/x');
});

test('open: $BROWSER, else the platform\'s opener', () => {
  const url = 'http://127.0.0.1:1/?token=t&x=1';
  assert.deepEqual(opener(url, 'linux', {}), { command: 'xdg-open', args: [url] });
  assert.deepEqual(opener(url, 'freebsd', {}), { command: 'xdg-open', args: [url] });
  assert.deepEqual(opener(url, 'darwin', {}), { command: 'open', args: [url] });
  assert.deepEqual(opener(url, 'win32', {}), { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] }, 'no cmd.exe: & in the address needs no quoting');
  assert.deepEqual(opener(url, 'linux', { BROWSER: ' firefox ' }), { command: 'firefox', args: [url] });
  assert.deepEqual(opener(url, 'win32', { BROWSER: '' }), { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
});

test('edit: $VISUAL, then $EDITOR, then vi (notepad on Windows)', () => {
  assert.equal(editorCommand({ VISUAL: 'code --wait', EDITOR: 'nano' }, 'linux'), 'code --wait');
  assert.equal(editorCommand({ VISUAL: ' ', EDITOR: 'nano' }, 'linux'), 'nano');
  assert.equal(editorCommand({}, 'linux'), 'vi');
  assert.equal(editorCommand({}, 'darwin'), 'vi');
  assert.equal(editorCommand({}, 'win32'), 'notepad');
});

test('edit: spacing alone is no change; a changed value is', () => {
  const original = '{\n  "name": "web",\n  "port": 1\n}\n';
  assert.equal(unchanged(original, original), true);
  assert.equal(unchanged(original, '{"name":"web","port":1}'), true);
  assert.equal(unchanged(original, '{"port":1,"name":"web"}'), true, 'the same object in another key order');
  assert.equal(unchanged(original, '{"name":"web","port":2}'), false);
  assert.equal(unchanged(original, '{"name":"web",'), false, 'broken JSON is a change (to refuse)');
});

test('logs colour: the last flag wins, else NO_COLOR, else only on a terminal', () => {
  assert.equal(keepEscapes(null, true, {}), true);
  assert.equal(keepEscapes(null, false, {}), false);
  assert.equal(keepEscapes(null, true, { NO_COLOR: '1' }), false);
  assert.equal(keepEscapes('color', false, { NO_COLOR: '1' }), true);
  assert.equal(keepEscapes('no-color', true, {}), false);
});

test('logs colour: SGR colours, cursor moves, OSC 8 links and erase codes are stripped; the text stays', () => {
  assert.equal(stripAnsi('\u001b[1;31merror\u001b[0m: \u001b[38;5;208mdisk\u001b[39m'), 'error: disk');
  assert.equal(stripAnsi('\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007 and \u001b[2K\u001b[1Gprogress 50%'), 'link and progress 50%');
  assert.equal(stripAnsi('plain [31m text'), 'plain [31m text', 'brackets without ESC are text');
});

test('restart-all order: dependencies before their dependents, agents.json order otherwise, a cycle broken', () => {
  const graph = (edges: [string, string][]) => ({ nodes: [], edges: edges.map(([from, to]) => ({ from, to, condition: 'started' as const, met: true })) });
  assert.deepEqual(dependencyOrder(['app', 'model', 'db'], graph([['app', 'model'], ['model', 'db']])), ['db', 'model', 'app']);
  assert.deepEqual(dependencyOrder(['a', 'b'], graph([])), ['a', 'b']);
  assert.deepEqual(dependencyOrder(['app', 'db'], graph([['app', 'model'], ['model', 'db']])), ['db', 'app'], 'only the agents asked for, in an order the others imply');
  assert.deepEqual(dependencyOrder(['a', 'b'], graph([['a', 'b'], ['b', 'a']])).sort(), ['a', 'b']);
});

test('bulk failure line: how many, which, where to read more', () => {
  assert.equal(failureSummary('start-all', ['db', 'web'], 5), 'agent-tray: 2 of 5 agents did not start: db, web (the reasons are above; agent-tray logs NAME shows more)');
  assert.equal(failureSummary('restart-all', ['x'], 1), 'agent-tray: 1 of 1 agent did not restart: x (the reasons are above; agent-tray logs NAME shows more)');
});
