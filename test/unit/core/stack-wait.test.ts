// One dependency wait, with views the test controls: met once every condition holds (asked afresh),
// failed by a dependency (only one of its own), timed out naming what is still missing, cancelled;
// the first ending wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DependencyView } from '../../../electron/core/stack/conditions.js';
import { DependencyWait } from '../../../electron/core/stack/dependency-wait.js';

const running = (over: Partial<DependencyView> = {}): DependencyView => ({ state: 'running', health: 'unknown', ready: false, completedAt: null, lastError: null, ...over });

/** A wait over views kept in a map the test changes. */
function waitOver(dependsOn: Record<string, 'started' | 'healthy' | 'ready' | 'completed'>, timeoutMs = 60_000) {
  const views = new Map<string, DependencyView>();
  const wait = new DependencyWait({ dependsOn, timeoutMs, view: (agent) => views.get(agent) ?? null });
  return { wait, views };
}

test('it is met once every condition holds, and lists what is still missing until then', async () => {
  const { wait, views } = waitOver({ model: 'healthy', mcp: 'started' });
  assert.deepEqual(wait.unmet(), [
    { agent: 'model', condition: 'healthy' },
    { agent: 'mcp', condition: 'started' },
  ]);
  views.set('mcp', running());
  views.set('model', running({ health: 'starting' }));
  wait.check();
  assert.equal(wait.done, false);
  assert.deepEqual(wait.unmet(), [{ agent: 'model', condition: 'healthy' }]);
  views.set('model', running({ health: 'healthy' }));
  wait.check();
  assert.deepEqual(await wait.outcome, { kind: 'met', conditions: [{ agent: 'model', condition: 'healthy' }, { agent: 'mcp', condition: 'started' }] });
});

test('a failure of one of its dependencies ends it with the reason; another agent\'s does not', async () => {
  const { wait } = waitOver({ model: 'healthy' });
  wait.dependencyFailed('unrelated', 'unrelated crashed: boom');
  assert.equal(wait.done, false);
  wait.dependencyFailed('model', 'model crashed: CUDA out of memory');
  wait.cancel(); // the first ending wins
  assert.deepEqual(await wait.outcome, { kind: 'failed', message: 'model crashed: CUDA out of memory', timedOut: false, dependency: 'model' });
});

test('the timeout ends it naming what is still missing', async (t) => {
  const awake = setInterval(() => undefined, 1_000); // its timer does not hold the process open (as the engine's timers do not)
  t.after(() => clearInterval(awake));
  const { wait, views } = waitOver({ setup: 'completed', model: 'healthy' }, 100);
  views.set('setup', running({ state: 'stopped', completedAt: Date.now() + 1 }));
  assert.deepEqual(await wait.outcome, { kind: 'failed', message: 'waited 0.1 s for model (healthy)', timedOut: true, dependency: 'model' });
});

test('cancelled, it says so and a later check changes nothing', async () => {
  const { wait, views } = waitOver({ model: 'started' });
  wait.cancel();
  views.set('model', running());
  wait.check();
  assert.deepEqual(await wait.outcome, { kind: 'cancelled' });
});
