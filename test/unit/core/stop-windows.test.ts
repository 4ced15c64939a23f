// Stop on Windows, sequenced against a simulated Windows (test/helpers/fake-win-helper.ts, whose
// helper lines are CONSTRUCTED from the protocol, not recorded): CTRL_BREAK first, kill-tree after
// the timeout, taskkill as the last resort, and a tree is never reported gone while one of its
// processes lives. The real CTRL_BREAK and TerminateProcess are exercised by the Wine lane and CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { stopWindowsTree } from '../../../electron/core/stop-windows.js';
import { SimWindows } from '../../helpers/fake-win-helper.js';

/** An agent with a child and a grandchild, all created after it. */
function agentTree(sim: SimWindows, opts: { onBreak?: 'exit' | 'ignore' } = {}) {
  const root = sim.add({ onBreak: opts.onBreak ?? 'exit' });
  const child = sim.add({ ppid: root.pid, onBreak: opts.onBreak ?? 'exit' });
  const grandchild = sim.add({ ppid: child.pid, onBreak: opts.onBreak ?? 'exit' });
  return { root, child, grandchild };
}

/** A taskkill that records its calls and does nothing (as Debian's Wine 8 does with /T). */
function failingTaskkill(calls: number[]) {
  return (pid: number) => {
    calls.push(pid);
    return Promise.resolve(1);
  };
}

test('graceful: CTRL_BREAK ends the tree, no kill follows', async () => {
  const sim = new SimWindows();
  const { root, child, grandchild } = agentTree(sim);
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 5_000, helper: sim.helper, pollMs: 5 });
  assert.equal(result.outcome, 'graceful');
  assert.deepEqual(result.pids, [root.pid, child.pid, grandchild.pid]);
  assert.deepEqual(result.survivors, []);
  assert.deepEqual(sim.callsOf('stop'), [['stop', String(root.pid)]]);
  assert.deepEqual(sim.callsOf('kill-tree'), [], 'nothing killed');
});

test('forced: a tree that ignores CTRL_BREAK is killed after the timeout, leaves first', async () => {
  const sim = new SimWindows();
  const { root, child, grandchild } = agentTree(sim, { onBreak: 'ignore' });
  const started = Date.now();
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 200, helper: sim.helper, pollMs: 5 });
  assert.ok(Date.now() - started >= 200, 'it waited the timeout before the kill');
  assert.equal(result.outcome, 'killed');
  assert.deepEqual(result.survivors, []);
  assert.deepEqual(result.pids, [root.pid, child.pid, grandchild.pid]);
  assert.deepEqual(sim.callsOf('kill-tree')[0], ['kill-tree', String(root.pid), String(root.createdMs)], 'the root is named with its creation time');
  assert.ok(![root, child, grandchild].some((p) => p.alive));
});

test('CTRL_BREAK refused (Wine 8: AttachConsole fails): the tree is killed at once, and the stop says why', async () => {
  const sim = new SimWindows();
  sim.ctrlBreakWorks = false;
  const { root } = agentTree(sim);
  const started = Date.now();
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 10_000, helper: sim.helper, pollMs: 5 });
  assert.ok(Date.now() - started < 5_000, 'no pointless wait for a request that was never sent');
  assert.equal(result.outcome, 'killed');
  assert.deepEqual(result.survivors, []);
  assert.deepEqual(result.notes, ['CTRL_BREAK could not be sent (AttachConsole: The handle is invalid. (Windows error 6)), so the tree was ended by force']);
});

test('survivors are reported: a process Windows will not end is never called gone', async () => {
  const sim = new SimWindows();
  const root = sim.add({ onBreak: 'ignore' });
  const elevated = sim.add({ ppid: root.pid, onBreak: 'ignore', unkillable: true });
  const taskkills: number[] = [];
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 20, helper: sim.helper, pollMs: 5, killWaitMs: 100, taskkill: failingTaskkill(taskkills) });
  assert.equal(result.outcome, 'killed');
  assert.deepEqual(result.survivors, [elevated.pid], 'the live child is named');
  assert.equal(root.alive, false);
  assert.deepEqual(taskkills, [elevated.pid], 'taskkill was tried on the survivor');
  assert.match(result.notes.join('\n'), new RegExp(`pid ${elevated.pid} could not be ended: Access is denied\\. \\(Windows error 5\\)`));
  assert.match(result.notes.join('\n'), new RegExp(`taskkill /PID ${elevated.pid} /T /F exited with code 1`));
});

test('a grandchild whose parent died while the stop waited is still killed; a stranger on a reused pid is not', async () => {
  const sim = new SimWindows();
  const root = sim.add({ onBreak: 'ignore' });
  const middle = sim.add({ ppid: root.pid, onBreak: 'exit' }); // obeys CTRL_BREAK: gone before the kill
  const orphan = sim.add({ ppid: middle.pid, onBreak: 'ignore' }); // keeps middle's pid as its parent: Windows does not re-parent
  // a process created BEFORE the root that names the root's pid as its parent: the pid was reused
  const stranger = sim.add({ ppid: root.pid, createdMs: root.createdMs - 60_000, onBreak: 'ignore' });
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 50, helper: sim.helper, pollMs: 5 });
  assert.equal(result.outcome, 'killed');
  assert.equal(middle.alive, false);
  assert.equal(orphan.alive, false, 'the orphaned grandchild was killed (the root\'s kill-tree cannot reach it any more)');
  assert.deepEqual(sim.callsOf('kill-tree').map((c) => c[1]), [String(root.pid), String(orphan.pid)]);
  assert.equal(stranger.alive, true, 'the stranger was not touched');
  assert.ok(!result.pids.includes(stranger.pid));
  assert.deepEqual(result.survivors, []);
});

test('a recycled root pid (another creation time) is not touched at all', async () => {
  const sim = new SimWindows();
  const other = sim.add({ onBreak: 'exit' });
  const result = await stopWindowsTree({ pid: other.pid, createdMs: other.createdMs - 5_000, timeoutMs: 1_000, helper: sim.helper, pollMs: 5 });
  assert.equal(other.alive, true);
  assert.deepEqual(sim.callsOf('stop'), []);
  assert.deepEqual(sim.callsOf('kill-tree'), []);
  assert.equal(result.outcome, 'graceful', 'nothing of the agent ran any more');
});

test('stop.command first; CTRL_BREAK only when the tree is still there after the timeout (insisted)', async () => {
  const sim = new SimWindows();
  const { root } = agentTree(sim);
  let asked = 0;
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 50, insistMs: 5_000, helper: sim.helper, pollMs: 5, ask: () => void asked++ });
  assert.equal(asked, 1);
  assert.equal(result.outcome, 'insisted');
  assert.deepEqual(sim.callsOf('stop').length, 1);

  const sim2 = new SimWindows();
  const tree2 = agentTree(sim2);
  const obeying = await stopWindowsTree({ pid: tree2.root.pid, createdMs: tree2.root.createdMs, timeoutMs: 5_000, helper: sim2.helper, pollMs: 5, ask: () => [tree2.root, tree2.child, tree2.grandchild].forEach((p) => sim2.exit(p.pid)) });
  assert.equal(obeying.outcome, 'graceful');
  assert.deepEqual(sim2.callsOf('stop'), [], 'the agent obeyed its own stop.command: no CTRL_BREAK');
});

test('a helper that answers garbage: taskkill instead, and the stop says so', async (t) => {
  const sim = new SimWindows();
  sim.garbage = 'garbage\n';
  // a real process, so that the root check (process.kill(pid, 0), as on Windows without the helper) has something to see
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  t.after(() => child.kill('SIGKILL'));
  const result = await stopWindowsTree({
    pid: child.pid!,
    timeoutMs: 0,
    immediate: true,
    helper: sim.helper,
    taskkill: (pid) => {
      process.kill(pid, 'SIGKILL');
      return Promise.resolve(0);
    },
  });
  assert.equal(result.outcome, 'killed');
  assert.deepEqual(result.survivors, []);
  assert.match(result.notes[0]!, /the Windows helper failed .*not a JSON line.*taskkill was used instead/);
});

test('a helper that reports a failure mid-stop: taskkill takes over, and the agent is asked only once', async (t) => {
  const sim = new SimWindows();
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  t.after(() => child.kill('SIGKILL'));
  sim.add({ pid: child.pid!, onBreak: 'ignore' });
  let asked = 0;
  const ask = () => {
    asked++;
    sim.failingVerb = 'info'; // Windows refuses the snapshot from now on
  };
  const result = await stopWindowsTree({ pid: child.pid!, timeoutMs: 50, helper: sim.helper, pollMs: 5, ask, taskkill: (pid) => Promise.resolve(process.kill(pid, 'SIGKILL') ? 0 : 1) });
  assert.equal(asked, 1);
  assert.equal(result.outcome, 'killed');
  assert.deepEqual(result.survivors, []);
  assert.match(result.notes[0]!, /the Windows helper failed \(CreateToolhelp32Snapshot: Not enough memory .* \(Windows error 8\)\); taskkill was used instead/);
});

test('without the helper a root that taskkill could not end is a survivor', async (t) => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  t.after(() => child.kill('SIGKILL'));
  const calls: number[] = [];
  const result = await stopWindowsTree({ pid: child.pid!, timeoutMs: 0, immediate: true, helper: null, killWaitMs: 100, taskkill: failingTaskkill(calls) });
  assert.equal(result.outcome, 'killed');
  assert.deepEqual(result.survivors, [child.pid]);
  assert.deepEqual(calls, [child.pid]);
  assert.match(result.notes.join('\n'), /only the root process is checked/);
});
