// The options of `agent-tray serve`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { AgentTrayError } from '../../../electron/core/errors.js';
import { DEFAULT_PORT, parseServeArgs } from '../../../electron/server/serve-options.js';

test('defaults: 127.0.0.1, port 4821, agents keep running', () => {
  const o = parseServeArgs(['--data-dir', '/tmp/d'], {}, '/work');
  assert.equal(o.host, '127.0.0.1');
  assert.equal(o.port, DEFAULT_PORT);
  assert.equal(DEFAULT_PORT, 4821);
  assert.equal(o.stopAgentsOnExit, false);
  assert.equal(o.paths.root, '/tmp/d');
  assert.equal(o.agentsFile, path.join('/tmp/d', 'agents.json'));
});

test('every option, relative paths from the working directory', () => {
  const o = parseServeArgs(['--data-dir', 'd', '--config', 'a.json', '--host', '0.0.0.0', '--port', '0', '--stop-agents-on-exit'], {}, '/work');
  assert.deepEqual([o.paths.root, o.agentsFile, o.host, o.port, o.stopAgentsOnExit], ['/work/d', '/work/a.json', '0.0.0.0', 0, true]);
  assert.equal(parseServeArgs([], { AGENT_TRAY_DATA_DIR: '/env/dir' }, '/work').paths.root, '/env/dir');
});

test('a bad port, an empty host, names and unknown options are refused', () => {
  for (const port of ['http', '-1', '65536', '1e3', '']) {
    assert.throws(() => parseServeArgs([`--port=${port}`], {}, '/w'), (e: unknown) => e instanceof AgentTrayError && e.message.includes(`--port "${port}" is not a port number`), port);
  }
  assert.throws(() => parseServeArgs(['--host', ' '], {}, '/w'), /--host is empty/);
  assert.throws(() => parseServeArgs(['web'], {}, '/w'), /serve takes no names/);
  assert.throws(() => parseServeArgs(['--verbose'], {}, '/w'), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION');
});
