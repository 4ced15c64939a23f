// Unit tests for the macOS `ps -E` parser and the /proc/<pid>/environ reader of the marker variables.
// The ps sample below is NOT recorded on a real Mac: it is built from the ps(1) manual of macOS
// (`-E` appends the environment to the command column, space-separated and unquoted; `lstart` is
// `%c` in the C locale, the day padded with a space), with the time zone injected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envVarFromEnviron } from '../../../electron/core/platform/process-env.js';
import { parsePsCommandLines, parsePsEnvironment, psCommandLinesCommand, psEnvironmentCommand } from '../../../electron/core/platform/ps-environment.js';
import type { LocalTimeFn } from '../../../electron/core/platform/ps-output.js';

/** Local time in a fixed UTC+01:00 zone, so the test gives the same answer on any host. */
const utcPlusOne: LocalTimeFn = (y, mo, d, h, mi, s) => Date.UTC(y, mo, d, h, mi, s) - 3_600_000;

const DATA_DIR = '/Users/ana/Library/Application Support/Agent Tray';
const BASE_ENV = 'TMPDIR=/var/folders/xy/T/ HOME=/Users/ana SHELL=/bin/zsh PATH=/usr/bin:/bin LANG=en_US.UTF-8';

const MACOS_PS_E = [
  '    1     0 Sun Nov  1 08:02:11 2026 /sbin/launchd',
  '  812     1 Sun Nov 22 13:34:19 2026 /Applications/Agent Tray.app/Contents/MacOS/Agent Tray ' + BASE_ENV,
  // an agent started by the host, and the daemon it left (re-parented to launchd, same markers)
  ` 4120   812 Sun Nov 22 13:40:02 2026 /opt/homebrew/bin/ollama serve ${BASE_ENV} OLLAMA_HOST=127.0.0.1:11434 AGENT_TRAY_AGENT=ollama AGENT_TRAY_DATA_DIR=${DATA_DIR} AGENT_TRAY_RUN_ID=r-7f3a`,
  ` 4188     1 Sun Nov 22 13:40:05 2026 /usr/local/bin/node /Users/ana/agents/worker.mjs --daemon ${BASE_ENV} AGENT_TRAY_AGENT=worker AGENT_TRAY_DATA_DIR=${DATA_DIR} AGENT_TRAY_RUN_ID=r-0001 __CF_USER_TEXT_ENCODING=0x1F5:0x0:0x0`,
  // older agent: no run id; markers not last in the environment
  ` 5001     1 Mon Nov 23 09:00:00 2026 python3 /Users/ana/agents/mcp.py AGENT_TRAY_AGENT=mcp AGENT_TRAY_DATA_DIR=${DATA_DIR} ${BASE_ENV}`,
  // the same agent name, but another host's data directory that begins with ours
  ` 5002     1 Mon Nov 23 09:00:01 2026 python3 /Users/ana/agents/mcp.py ${BASE_ENV} AGENT_TRAY_AGENT=mcp AGENT_TRAY_DATA_DIR=${DATA_DIR} 2`,
  ` 5003     1 Mon Nov 23 09:00:02 2026 python3 /Users/ana/agents/mcp.py ${BASE_ENV} AGENT_TRAY_AGENT=mcp AGENT_TRAY_DATA_DIR=/tmp/other`,
  // a process whose environment ps may not show (another user's): only its command
  ' 6000     1 Mon Nov 23 09:10:00 2026 /usr/sbin/cupsd -l',
  '',
].join('\n');

test('psEnvironmentCommand lists the user\'s processes with environment, unabridged, without headers', () => {
  assert.deepEqual(psEnvironmentCommand(501), { command: 'ps', args: ['-E', '-ww', '-x', '-U', '501', '-o', 'pid=,ppid=,lstart=,command='] });
  assert.throws(() => psEnvironmentCommand(-1), /not a user id/);
});

test('parsePsEnvironment finds the processes of one data directory, a path with spaces, and no other', () => {
  const found = parsePsEnvironment(MACOS_PS_E, { dataDir: DATA_DIR }, utcPlusOne);
  assert.deepEqual(
    found.map((p) => [p.pid, p.ppid, p.name, p.runId]),
    [
      [4120, 812, 'ollama', 'r-7f3a'],
      [4188, 1, 'worker', 'r-0001'],
      [5001, 1, 'mcp', null],
    ],
  );
  assert.equal(found[0]?.startTime, Date.UTC(2026, 10, 22, 12, 40, 2));
  assert.equal(found[0]?.commandLine, null, 'arguments and environment cannot be told apart: asked separately');
});

test('parsePsEnvironment keeps only one agent when a name is given', () => {
  assert.deepEqual(parsePsEnvironment(MACOS_PS_E, { dataDir: DATA_DIR, name: 'worker' }, utcPlusOne).map((p) => p.pid), [4188]);
  assert.deepEqual(parsePsEnvironment(MACOS_PS_E, { dataDir: '/tmp/other', name: 'mcp' }, utcPlusOne).map((p) => p.pid), [5003]);
  assert.deepEqual(parsePsEnvironment(MACOS_PS_E, { dataDir: DATA_DIR, name: 'nobody' }, utcPlusOne), []);
});

test('parsePsCommandLines maps pids to command lines', () => {
  assert.deepEqual(psCommandLinesCommand([4120, 4188]), { command: 'ps', args: ['-ww', '-o', 'pid=,command=', '-p', '4120,4188'] });
  const lines = parsePsCommandLines(' 4120 /opt/homebrew/bin/ollama serve\n 4188 /usr/local/bin/node /Users/ana/agents/worker.mjs --daemon\n');
  assert.deepEqual([...lines], [
    [4120, '/opt/homebrew/bin/ollama serve'],
    [4188, '/usr/local/bin/node /Users/ana/agents/worker.mjs --daemon'],
  ]);
});

test('envVarFromEnviron matches whole entries only, the first one winning', () => {
  const environ = Buffer.from('XAGENT_TRAY_AGENT=no\0NOTE=AGENT_TRAY_AGENT=no\0AGENT_TRAY_AGENT=web\0AGENT_TRAY_AGENT=second\0DIR=/home/jürgen/Agent Tray', 'utf8');
  assert.equal(envVarFromEnviron(environ, 'AGENT_TRAY_AGENT'), 'web');
  assert.equal(envVarFromEnviron(environ, 'DIR'), '/home/jürgen/Agent Tray', 'the last entry has no trailing NUL');
  assert.equal(envVarFromEnviron(Buffer.from('AGENT_TRAY_RUN_ID=\0', 'utf8'), 'AGENT_TRAY_RUN_ID'), '');
  assert.equal(envVarFromEnviron(Buffer.alloc(0), 'AGENT_TRAY_AGENT'), null);
});
