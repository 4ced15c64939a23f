// The Windows sampler: one resident `watch` helper for every tree instead of a PowerShell per tick,
// over a simulated Windows (its helper lines are CONSTRUCTED from the protocol, not recorded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { Sampler } from '../../../../electron/core/monitor/sampler.js';
import type { ResourceSample } from '../../../../shared/status.js';
import { SimWindows } from '../../../helpers/fake-win-helper.js';

/** A Windows sampler over `sim` that records its samples and errors. */
function sampler(sim: SimWindows) {
  const samples: { name: string; sample: ResourceSample; pids: number[] }[] = [];
  const errors: Error[] = [];
  const s = new Sampler({ platform: 'win32', intervalMs: 2_000, winHelper: sim.helper, onSample: (name, sample, extra) => samples.push({ name, sample, pids: extra.pids }), onError: (e) => errors.push(e) });
  return { s, samples, errors };
}

test('a tree is read from one list and one resident watch: processes, memory, threads, handles, CPU', async (t) => {
  const sim = new SimWindows();
  sim.cpuPerTickMs = 10;
  const root = sim.add({});
  const child = sim.add({ ppid: root.pid });
  const stranger = sim.add({ ppid: root.pid, createdMs: root.createdMs - 1 }); // older: not its child
  const { s, samples } = sampler(sim);
  t.after(() => s.close());
  s.watch('alpha', root.pid);
  await s.sampleNow();
  const first = samples.at(-1)!;
  assert.deepEqual(first.pids, [root.pid, child.pid]);
  assert.equal(first.sample.processes, 2);
  assert.equal(first.sample.memoryMB, 20);
  assert.equal(first.sample.threads, 10);
  assert.equal(first.sample.fileHandles, 200);
  assert.ok(!first.pids.includes(stranger.pid));
  await delay(100); // a few of the simulated watch's 20 ms ticks: CPU time grew
  await s.sampleNow();
  assert.ok(samples.at(-1)!.sample.cpuPercent > 0, `CPU from the CPU time between two ticks, got ${samples.at(-1)!.sample.cpuPercent}`);
  assert.equal(sim.callsOf('watch').length, 1, 'one resident helper for all reads');
  assert.equal(sim.callsOf('list').length, 2, 'one list per read');
  s.close();
  assert.equal(sim.openWatches, 0, 'closing the sampler ends the resident helper');
});

test('a root that exited, or whose pid another process now has, leaves the poll list', async (t) => {
  const sim = new SimWindows();
  const a = sim.add({});
  const b = sim.add({});
  const { s, samples } = sampler(sim);
  t.after(() => s.close());
  s.watch('a', a.pid);
  s.watch('b', b.pid);
  await s.sampleNow();
  assert.equal(samples.length, 2);
  sim.exit(a.pid);
  sim.exit(b.pid);
  sim.add({ pid: b.pid }); // b's pid reused by a newer process
  await s.sampleNow();
  assert.equal(s.isWatching('a'), false);
  assert.equal(s.isWatching('b'), false, 'the reused pid is not b');
  assert.equal(samples.length, 2, 'no sample of a stranger');
});

test('a watch that prints garbage is reported once; pidusage reads from then on', async (t) => {
  const sim = new SimWindows();
  const root = sim.add({});
  const { s } = sampler(sim);
  t.after(() => s.close());
  s.watch('alpha', root.pid);
  sim.garbage = 'garbage';
  sim.garbageOnlyInWatch = true;
  await assert.rejects(s.sampleNow(), /not a JSON line.*resource use is read with pidusage \(PowerShell\) from now on/);
  await s.sampleNow(); // pidusage: the simulated pid is no process of this machine, so the watch ends quietly
  assert.equal(s.isWatching('alpha'), false);
  assert.equal(sim.openWatches, 0);
});
