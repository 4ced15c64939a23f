// The phases a stop tells (asking, insisting, killing, each with when the kill will be forced), on
// Windows against the simulated helper (test/helpers/fake-win-helper.ts) and without it, and the
// engine's bookkeeping of them (electron/core/stop-progress.ts): never backwards, no repeats.
// The POSIX stop is told on real processes in test/integration/stop-progress.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { beginStopProgress, nextStopProgress } from '../../../electron/core/stop-progress.js';
import { stopWindowsTree } from '../../../electron/core/stop-windows.js';
import type { StopPhase } from '../../../shared/status.js';
import { SimWindows } from '../../helpers/fake-win-helper.js';

/** A listener that records each phase with its kill time relative to when the stop began. */
function recorder() {
  const started = Date.now();
  const told: { phase: StopPhase; at: number; forceIn: number | null }[] = [];
  return { told, onPhase: (phase: StopPhase, forceAt: number | null) => told.push({ phase, at: Date.now() - started, forceIn: forceAt === null ? null : forceAt - started }) };
}

/** `value` is within `slack` ms of `expected`. */
function near(value: number | null | undefined, expected: number, slack: number, what: string): void {
  assert.ok(typeof value === 'number' && Math.abs(value - expected) <= slack, `${what}: ${value} is not within ${slack} of ${expected}`);
}

test('Windows, CTRL_BREAK first: asking with the kill at the timeout, then killing', async () => {
  const sim = new SimWindows();
  const root = sim.add({ onBreak: 'ignore' });
  const r = recorder();
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 200, helper: sim.helper, pollMs: 5, onPhase: r.onPhase });
  assert.equal(result.outcome, 'killed');
  assert.deepEqual(r.told.map((t) => t.phase), ['asking', 'killing']);
  near(r.told[0]?.forceIn, 200, 100, 'the kill is due at the timeout');
  near(r.told[1]?.at, 200, 150, 'the kill came when it was due');
});

test('Windows, stop.command first: asking (kill after timeout + insist), insisting with CTRL_BREAK, killing', async () => {
  const sim = new SimWindows();
  const root = sim.add({ onBreak: 'ignore' });
  const r = recorder();
  let asked = 0;
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 150, insistMs: 100, helper: sim.helper, pollMs: 5, ask: () => void asked++, onPhase: r.onPhase });
  assert.equal(result.outcome, 'killed');
  assert.equal(asked, 1);
  assert.deepEqual(r.told.map((t) => t.phase), ['asking', 'insisting', 'killing']);
  near(r.told[0]?.forceIn, 250, 100, 'while asking, the kill is due after timeout + insist');
  near(r.told[1]?.at, 150, 100, 'insisting after the timeout');
  near(r.told[1]?.forceIn, (r.told[1]?.at ?? 0) + 100, 20, 'while insisting, the kill is due after insist');
});

test('Windows: a tree that exits when asked tells only asking; a kill tells only killing', async () => {
  const sim = new SimWindows();
  const polite = sim.add({ onBreak: 'exit' });
  const r1 = recorder();
  assert.equal((await stopWindowsTree({ pid: polite.pid, createdMs: polite.createdMs, timeoutMs: 5_000, helper: sim.helper, pollMs: 5, onPhase: r1.onPhase })).outcome, 'graceful');
  assert.deepEqual(r1.told.map((t) => t.phase), ['asking']);
  const stubborn = sim.add({ onBreak: 'ignore' });
  const r2 = recorder();
  assert.equal((await stopWindowsTree({ pid: stubborn.pid, createdMs: stubborn.createdMs, timeoutMs: 5_000, immediate: true, helper: sim.helper, pollMs: 5, onPhase: r2.onPhase })).outcome, 'killed');
  assert.deepEqual(r2.told.map((t) => t.phase), ['killing']);
});

test('Windows without the helper: asking until the timeout, then killing with taskkill', async (t) => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  t.after(() => child.kill('SIGKILL'));
  const r = recorder();
  const result = await stopWindowsTree({
    pid: child.pid!,
    timeoutMs: 150,
    helper: null,
    killWaitMs: 2_000,
    ask: () => undefined,
    taskkill: (pid) => {
      process.kill(pid, 'SIGKILL');
      return Promise.resolve(0);
    },
    onPhase: r.onPhase,
  });
  assert.equal(result.outcome, 'killed');
  assert.deepEqual(r.told.map((x) => x.phase), ['asking', 'killing']);
  near(r.told[0]?.forceIn, 150, 100, 'the kill is due at the timeout');
});

test('a listener that throws does not stop the stop', async () => {
  const sim = new SimWindows();
  const root = sim.add({ onBreak: 'exit' });
  const result = await stopWindowsTree({ pid: root.pid, createdMs: root.createdMs, timeoutMs: 5_000, helper: sim.helper, pollMs: 5, onPhase: () => { throw new Error('a broken listener'); } });
  assert.equal(result.outcome, 'graceful');
});

test('stop progress: begins asking (kill time unknown) or killing, moves forward only, repeats nothing', () => {
  const begun = beginStopProgress(false, 1_000);
  assert.deepEqual(begun, { phase: 'asking', askedAt: 1_000, phaseSince: 1_000, forceAt: null });
  assert.deepEqual(beginStopProgress(true, 1_000), { phase: 'killing', askedAt: 1_000, phaseSince: 1_000, forceAt: 1_000 });
  const known = nextStopProgress(begun, 'asking', 16_000, 1_010);
  assert.deepEqual(known, { phase: 'asking', askedAt: 1_000, phaseSince: 1_000, forceAt: 16_000 }, 'the kill time, same phase');
  assert.equal(nextStopProgress(known!, 'asking', 16_000, 1_020), null, 'nothing new: nothing to tell');
  const insisting = nextStopProgress(known!, 'insisting', 16_000, 11_000);
  assert.deepEqual(insisting, { phase: 'insisting', askedAt: 1_000, phaseSince: 11_000, forceAt: 16_000 });
  const killing = nextStopProgress(insisting!, 'killing', 12_000, 12_000);
  assert.deepEqual(killing, { phase: 'killing', askedAt: 1_000, phaseSince: 12_000, forceAt: 12_000 });
  assert.equal(nextStopProgress(killing!, 'insisting', 20_000, 12_500), null, 'a kill overtook it: no going back');
  assert.equal(nextStopProgress(killing!, 'killing', 12_600, 12_600), null, 'killed once');
});
