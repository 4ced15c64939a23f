// The internal port of an on-demand start: PORT set, ${PORT} replaced; and the definition's rule that onDemand needs port.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { substitutePort, withInternalPort } from '../../../electron/core/on-demand/port-env.js';
import { AgentDefinitionSchema } from '../../../shared/agent.js';

describe('on-demand port', () => {
  it('replaces every ${PORT} in args and env values and sets PORT', () => {
    const run = withInternalPort(['--port', '${PORT}', 'x${PORT}y${PORT}'], { URL: 'http://127.0.0.1:${PORT}/', PORT: '1' }, 4321);
    assert.deepEqual(run.args, ['--port', '4321', 'x4321y4321']);
    assert.deepEqual(run.env, { URL: 'http://127.0.0.1:4321/', PORT: '4321' });
    assert.equal(substitutePort('$PORT {PORT}', 1), '$PORT {PORT}');
  });

  it('leaves an agent without a relay as it is', () => {
    const args = ['${PORT}'];
    const env = { A: '${PORT}' };
    assert.deepEqual(withInternalPort(args, env, undefined), { args, env });
  });

  it('refuses onDemand without port, naming the fix', () => {
    const r = AgentDefinitionSchema.safeParse({ name: 'a', command: 'x', onDemand: { idleStopMs: 1000 } });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ['onDemand']);
    assert.match(r.error!.issues[0]!.message, /onDemand needs "port".*add "port"/);
    assert.equal(AgentDefinitionSchema.safeParse({ name: 'a', command: 'x', port: 8080, onDemand: { idleStopMs: 1000 } }).success, true);
  });
});
