// The resident exit waiter of the Windows helper (win-exit-waiter.ts) over a simulated Windows
// whose `wait` lines are CONSTRUCTED from the protocol (the real helper is run by test/windows/):
// answers by pid and creation time, one helper for all questions, started again when it dies,
// given up when it keeps dying or does not know `wait`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WinExitWaiter } from '../../../electron/core/platform/win-exit-waiter.js';
import { SimWindows } from '../../helpers/fake-win-helper.js';
import { waitFor } from '../../helpers/wait.js';

test('exit codes by pid and creation time; a wrong creation time is gone; one helper answers all', async () => {
  const sim = new SimWindows();
  const waiter = new WinExitWaiter(sim.helper);
  assert.equal(sim.callsOf('wait').length, 0, 'nothing is started before the first question');
  const a = sim.add({});
  const b = sim.add({});
  const exitA = waiter.exitOf(a.pid, a.createdMs);
  const exitB = waiter.exitOf(b.pid, b.createdMs);
  const again = waiter.exitOf(a.pid, a.createdMs);
  assert.deepEqual(await waiter.exitOf(b.pid, b.createdMs + 5000), { gone: true }, 'another process has this pid');
  sim.exit(a.pid, 0);
  sim.exit(b.pid, 3221225786);
  assert.deepEqual(await Promise.all([exitA, exitB, again]), [{ exitCode: 0 }, { exitCode: 3221225786 }, { exitCode: 0 }]);
  assert.equal(sim.callsOf('wait').length, 1);
  waiter.close();
  assert.equal(sim.waits.size, 0);
  assert.deepEqual(await waiter.exitOf(b.pid, b.createdMs), { unusable: true }, 'closed: poll instead');
});

test('a helper that keeps dying is started again within its budget, then given up: the open questions are answered unusable', async () => {
  const sim = new SimWindows();
  const waiter = new WinExitWaiter(sim.helper, { maxRestarts: 2, windowMs: 60_000 });
  const p = sim.add({});
  const outcome = waiter.exitOf(p.pid, p.createdMs);
  for (let started = 1; started <= 3; started++) {
    await waitFor(() => sim.callsOf('wait').length === started && sim.waits.size === 1, 5_000, `waiter ${started} running`);
    sim.killWaits();
  }
  assert.deepEqual(await outcome, { unusable: true });
  assert.equal(sim.callsOf('wait').length, 3, 'the first and two restarts');
  assert.deepEqual(await waiter.exitOf(p.pid, p.createdMs), { unusable: true }, 'given up for good');
  waiter.close();
});

test('a helper without `wait` (exit 2) is given up at once', async () => {
  const sim = new SimWindows();
  sim.knowsNewVerbs = false;
  const waiter = new WinExitWaiter(sim.helper);
  const p = sim.add({});
  assert.deepEqual(await waiter.exitOf(p.pid, p.createdMs), { unusable: true });
  assert.equal(sim.callsOf('wait').length, 1);
  waiter.close();
});
