// Windows process facts through the helper (platform given explicitly, a simulated Windows whose
// helper lines are CONSTRUCTED from the protocol, not recorded): creation times, command lines,
// the process table and the marker scan come from `info`, `list` and `env` (`env --all`: one run per
// scan, the per-process `env` for an older helper); without the helper
// the old way (PowerShell) is still what runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandLineOf, commandLineText, listProcesses } from '../../../electron/core/platform/command-lines.js';
import { findMarkedProcesses } from '../../../electron/core/platform/marker-processes.js';
import { processStartTime, readProcessTable } from '../../../electron/core/platform/process-table.js';
import { windowsTree } from '../../../electron/core/platform/win-process-tree.js';
import { SimWindows } from '../../helpers/fake-win-helper.js';

test('creation time and command line of one pid come from the helper\'s info', async () => {
  const sim = new SimWindows();
  const p = sim.add({ commandLine: '"C:\\Program Files\\nodejs\\node.exe" agent.js --port 8080' });
  assert.equal(await processStartTime(p.pid, 'win32', sim.helper), p.createdMs);
  assert.deepEqual(await commandLineOf(p.pid, 'win32', sim.helper), ['"C:\\Program Files\\nodejs\\node.exe" agent.js --port 8080']);
  assert.equal(await commandLineText(p.pid, 'win32', sim.helper), '"C:\\Program Files\\nodejs\\node.exe" agent.js --port 8080');
});

test('a pid that does not run has no creation time and no command line', async () => {
  const sim = new SimWindows();
  const p = sim.add({});
  sim.exit(p.pid);
  assert.equal(await processStartTime(p.pid, 'win32', sim.helper), null);
  assert.equal(await commandLineOf(p.pid, 'win32', sim.helper), null);
  assert.deepEqual(sim.callsOf('info'), [['info', String(p.pid)], ['info', String(p.pid)]]);
});

test('the process table and the list with command lines: one helper run each, no PowerShell', async () => {
  const sim = new SimWindows();
  const root = sim.add({ commandLine: 'agent.exe' });
  const child = sim.add({ ppid: root.pid, commandLine: null });
  const table = await readProcessTable('win32', sim.helper);
  assert.deepEqual(table.find((p) => p.pid === child.pid), { pid: child.pid, ppid: root.pid, pgid: null, state: 'R', startTime: child.createdMs });
  const list = await listProcesses('win32', sim.helper);
  assert.deepEqual(list.find((p) => p.pid === root.pid), { pid: root.pid, ppid: 4, commandLine: 'agent.exe', startTime: root.createdMs });
  assert.equal(list.find((p) => p.pid === child.pid)?.commandLine, null);
  assert.deepEqual(sim.callsOf('list'), [['list'], ['list', '--command-lines']]);
});

test('without the helper: the table is refused as before, and a broken helper falls back to PowerShell', async () => {
  await assert.rejects(readProcessTable('win32', null), /not read on Windows without agent-tray-helper\.exe/);
  const sim = new SimWindows();
  sim.garbage = '<html>\n';
  // PowerShell does not exist on this Linux machine: the ENOENT shows that it was what ran next
  await assert.rejects(processStartTime(1234, 'win32', sim.helper), /powershell/i);
  await assert.rejects(listProcesses('win32', sim.helper), /powershell/i);
});

/** A simulated Windows with agents of two data directories, another agent, an unreadable and an unmarked process. */
function markedWindows(dataDir: string) {
  const sim = new SimWindows();
  const mine = sim.add({ commandLine: 'node.exe a.js', env: { AGENT_TRAY_AGENT: 'alpha', AGENT_TRAY_DATA_DIR: dataDir, AGENT_TRAY_RUN_ID: 'run-1' } });
  const daemon = sim.add({ ppid: 31337, commandLine: 'daemon.exe', env: { AGENT_TRAY_AGENT: 'alpha', AGENT_TRAY_DATA_DIR: dataDir } });
  sim.add({ env: { AGENT_TRAY_AGENT: 'alpha', AGENT_TRAY_DATA_DIR: 'D:\\other' } }); // another host's
  sim.add({ env: { AGENT_TRAY_AGENT: 'beta', AGENT_TRAY_DATA_DIR: dataDir } });
  sim.add({ env: null }); // another user's: unreadable
  sim.add({ env: {} });
  const expected = [
    { pid: mine.pid, ppid: 4, name: 'alpha', runId: 'run-1', startTime: mine.createdMs, commandLine: 'node.exe a.js' },
    { pid: daemon.pid, ppid: 31337, name: 'alpha', runId: null, startTime: daemon.createdMs, commandLine: 'daemon.exe' },
  ];
  return { sim, expected };
}

test('the marker scan is one helper run (env --all), and keeps only this data directory\'s processes', async () => {
  const dataDir = 'C:\\Users\\ada\\AppData\\Roaming\\Agent Tray';
  const { sim, expected } = markedWindows(dataDir);
  assert.deepEqual(await findMarkedProcesses({ dataDir, name: 'alpha', platform: 'win32', helper: sim.helper }), expected);
  assert.deepEqual(sim.calls.map((c) => c.args), [['env', '--all', 'AGENT_TRAY_AGENT', 'AGENT_TRAY_DATA_DIR', 'AGENT_TRAY_RUN_ID']], 'one run, no list, no env per process');
  assert.equal((await findMarkedProcesses({ dataDir, platform: 'win32', helper: sim.helper })).length, 3, 'without a name: every agent of the directory');
  assert.deepEqual(await findMarkedProcesses({ dataDir, platform: 'win32', helper: null }), [], 'no helper: nothing can be read');
  sim.garbage = 'garbage\n';
  await assert.rejects(findMarkedProcesses({ dataDir, platform: 'win32', helper: sim.helper }), /not a JSON line/, 'a broken helper is an error, not "nothing found"');
});

test('an older helper without env --all: the marker scan reads each process\'s environment, with the same result', async () => {
  const dataDir = 'C:\\Users\\ada\\AppData\\Roaming\\Agent Tray';
  const { sim, expected } = markedWindows(dataDir);
  sim.knowsNewVerbs = false;
  assert.deepEqual(await findMarkedProcesses({ dataDir, name: 'alpha', platform: 'win32', helper: sim.helper }), expected);
  assert.equal(sim.callsOf('list').length, 1);
  assert.equal(sim.callsOf('env').filter((c) => c[1] !== '--all').length, sim.processes.size, 'one env per process');
  assert.deepEqual(await findMarkedProcesses({ dataDir, name: 'alpha', platform: 'win32', helper: sim.helper }), expected);
  assert.equal(sim.callsOf('env').filter((c) => c[1] === '--all').length, 1, 'asked once: exit 2 says it will never work');
});

test('windowsTree: children must be created after their parent; a reused root pid has no tree', () => {
  const table = [
    { pid: 10, ppid: 1, createdMs: 1000 },
    { pid: 11, ppid: 10, createdMs: 1001 },
    { pid: 12, ppid: 11, createdMs: 1500 },
    { pid: 13, ppid: 10, createdMs: 999 }, // older than 10: its parent was an earlier process with pid 10
    { pid: 14, ppid: 10, createdMs: null }, // unknown: not provably ours
    { pid: 20, ppid: 99, createdMs: 2000 }, // child of a dead root 99
  ];
  assert.deepEqual(windowsTree(10, 1000, table).map((p) => p.pid), [10, 11, 12]);
  assert.deepEqual(windowsTree(10, 1001, table).map((p) => p.pid), [10, 11, 12], '±1 ms: the same process');
  assert.deepEqual(windowsTree(10, 5000, table), [], 'another process has the pid now');
  assert.deepEqual(windowsTree(99, 1900, table).map((p) => p.pid), [20], 'a dead root\'s children still count');
  assert.deepEqual(windowsTree(99, 2500, table), [], 'but not those created before it');
  assert.deepEqual(windowsTree(0, null, [{ pid: 0, ppid: 0, createdMs: 0 }]).map((p) => p.pid), [0], 'the idle process is its own parent: no loop');
});
