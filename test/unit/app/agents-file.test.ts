// Unit tests for agents.json: parse errors that say where, loading that never touches a bad file, atomic saves with a .bak.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadAgentsFile, parseAgentsFile, saveAgentsFile } from '../../../electron/app/agents-file.js';
import { AgentTrayError } from '../../../electron/core/errors.js';
import type { AgentsFile } from '../../../shared/agent.js';
import { tempDir } from '../../helpers/temp-dir.js';

const FILE = '/home/ada/.config/Agent Tray/agents.json';

/** The AgentTrayError that `fn` throws. */
async function caught(fn: () => unknown): Promise<AgentTrayError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof AgentTrayError, `expected an AgentTrayError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

test('parseAgentsFile reads agents and fills in defaults', () => {
  const parsed = parseAgentsFile('{ "agents": [ { "name": "researcher", "command": "python3", "args": ["agent.py"] } ] }', FILE);
  assert.deepEqual(parsed, { agents: [{ name: 'researcher', command: 'python3', args: ['agent.py'], env: {} }] });
});

test('parseAgentsFile accepts a UTF-8 byte order mark', () => {
  const parsed = parseAgentsFile('\uFEFF{ "agents": [ { "name": "a", "command": "x" } ] }', FILE);
  assert.equal(parsed.agents[0]?.name, 'a');
});

test('parseAgentsFile: malformed JSON names the file, the line and the column', async () => {
  const text = '{\n  "agents": [\n    { "name": "a", }\n  ]\n}\n';
  const err = await caught(() => parseAgentsFile(text, FILE));
  assert.equal(err.code, 'invalid-config');
  assert.ok(err.message.includes(FILE), err.message);
  // the stray comma is at line 3, column 18
  assert.match(err.message, /not valid JSON at line 3, column 18: a trailing comma/);
  assert.deepEqual({ line: err.details.line, column: err.details.column }, { line: 3, column: 18 });
  assert.ok(err.cause instanceof SyntaxError);
});

test('parseAgentsFile: a byte order mark does not shift the reported position', async () => {
  const text = '\uFEFF{\n  "agents": [\n    { "name": "a", }\n  ]\n}\n';
  const err = await caught(() => parseAgentsFile(text, FILE));
  assert.match(err.message, /line 3, column 18/);
});

test('parseAgentsFile: a truncated file says where it ends and which bracket is missing', async () => {
  const err = await caught(() => parseAgentsFile('{ "agents": [', FILE));
  assert.match(err.message, /not valid JSON at line 1, column 14: the file ends inside the list opened at line 1, column 13: a '\]' is missing/);
});

test('parseAgentsFile: an invalid field names the agent, agents[1].port, the problem, and its line and column', async () => {
  const text = JSON.stringify({ agents: [{ name: 'a', command: 'x' }, { name: 'b', command: 'y', port: 70_000 }] });
  const err = await caught(() => parseAgentsFile(text, FILE));
  assert.equal(err.code, 'invalid-config');
  assert.ok(err.message.includes(FILE));
  assert.match(err.message, /has a problem: agent "b" \(agents\[1\]\)\.port: .*65535 \(line 1, column 72\)/);
  assert.deepEqual({ line: err.details.line, column: err.details.column }, { line: 1, column: 72 });
  assert.equal((err.details.issues as string[]).length, 1);
});

test('parseAgentsFile counts several problems', async () => {
  const text = JSON.stringify({ agents: [{ name: 'a b', command: '' }] });
  const err = await caught(() => parseAgentsFile(text, FILE));
  assert.match(err.message, /has 2 problems: agent "a b" \(agents\[0\]\)\.name: .*; agent "a b" \(agents\[0\]\)\.command: /);
});

test('loadAgentsFile: a missing file is an empty list', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    assert.deepEqual(await loadAgentsFile(path.join(dir, 'agents.json')), { agents: [] });
  } finally {
    await cleanup();
  }
});

test('loadAgentsFile: a malformed file fails to load and is left byte for byte', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'agents.json');
    const bytes = Buffer.from('\uFEFF{ "agents": [ { "name": "a", "command": "x", } ] }\r\n');
    await writeFile(file, bytes);
    const err = await caught(() => loadAgentsFile(file));
    assert.ok(err.message.includes(file));
    assert.deepEqual(await readFile(file), bytes);
    assert.deepEqual(await readdir(dir), ['agents.json']);
  } finally {
    await cleanup();
  }
});

test('saveAgentsFile writes JSON that loads back the same', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'nested', 'agents.json');
    const content: AgentsFile = {
      agents: [
        { name: 'ollama', command: 'ollama', args: ['serve'], env: { OLLAMA_HOST: '127.0.0.1' }, port: 11434 },
        { name: 'worker', command: './work.sh', args: ['--say', 'héllo "quoted"'], env: {} },
      ],
    };
    await saveAgentsFile(file, content);
    const text = await readFile(file, 'utf8');
    assert.deepEqual(JSON.parse(text), content);
    assert.deepEqual(await loadAgentsFile(file), content);
    assert.deepEqual(await readdir(path.dirname(file)), ['agents.json'], 'no .bak without a previous file, no temp files');
  } finally {
    await cleanup();
  }
});

test('saveAgentsFile keeps the previous bytes as agents.json.bak', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'agents.json');
    const old = Buffer.from('{"agents":[{"name":"old","command":"x"}]}');
    await writeFile(file, old);
    await saveAgentsFile(file, { agents: [{ name: 'new', command: 'y', args: [], env: {} }] });
    assert.deepEqual(await readFile(`${file}.bak`), old);
    assert.equal((await loadAgentsFile(file)).agents[0]?.name, 'new');
    assert.deepEqual((await readdir(dir)).sort(), ['agents.json', 'agents.json.bak']);
  } finally {
    await cleanup();
  }
});

test('saveAgentsFile refuses invalid content and leaves the file and the .bak as they were', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'agents.json');
    const current = Buffer.from('{"agents":[{"name":"a","command":"x"}]}\n');
    const backup = Buffer.from('{"agents":[]}\n');
    await writeFile(file, current);
    await writeFile(`${file}.bak`, backup);
    const duplicate: AgentsFile = {
      agents: [
        { name: 'a', command: 'x', args: [], env: {} },
        { name: 'a', command: 'y', args: [], env: {} },
      ],
    };
    const err = await caught(() => saveAgentsFile(file, duplicate));
    assert.equal(err.code, 'invalid-config');
    assert.match(err.message, /^Not saved: .*agents\[1\]\.name: .*already used by agents\[0\]/);
    assert.ok(err.message.includes(file), 'says which file was left alone');
    assert.deepEqual(await readFile(file), current);
    assert.deepEqual(await readFile(`${file}.bak`), backup);
    assert.deepEqual((await readdir(dir)).sort(), ['agents.json', 'agents.json.bak']);
  } finally {
    await cleanup();
  }
});
