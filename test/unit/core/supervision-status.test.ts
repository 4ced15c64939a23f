// The supervisor's part of a status (health score from restarts) must be computed once per status:
// it once asked the engine for the whole status again, which asked the supervisor again, in a loop
// that ended only in a stack overflow (hidden by a catch) and made start-all of 100 agents 17× slower.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../electron/core/engine.js';
import { Supervisor } from '../../../electron/core/supervision/supervisor.js';
import { tempDir } from '../../helpers/temp-dir.js';

test('a status asks the supervisor once, and the score still counts restarts', async () => {
  const { dir, cleanup } = await tempDir();
  const engine = new Engine({ dataDir: dir });
  try {
    engine.setDefinitions([{ name: 'a', command: process.execPath, args: ['-e', ''] }]);
    const original = engine.setSupervisionStatus.bind(engine);
    let calls = 0;
    engine.setSupervisionStatus = (provider) =>
      original((name) => {
        calls++;
        return provider(name);
      });
    const supervisor = new Supervisor(engine, {});
    try {
      const status = engine.status('a');
      assert.equal(calls, 1, `the supervisor was asked ${calls} times for one status`);
      assert.equal(status.healthScore, 100);
      assert.equal(engine.restartCount('a'), 0);
    } finally {
      supervisor.close();
    }
  } finally {
    await engine.close();
    await cleanup();
  }
});
