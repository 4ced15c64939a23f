// A file error of the machine's state that reached the API unwrapped (no layer called fileError)
// is still answered with its own code and status, never as an "internal … bug".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentTrayError } from '../../../electron/core/errors.js';
import { errorReply } from '../../../electron/server/error-reply.js';

const ctx = { method: 'POST', path: '/api/agents' };
const errno = (code: string, extra: Partial<NodeJS.ErrnoException> = {}): NodeJS.ErrnoException => Object.assign(new Error(`${code}: something, ${extra.syscall ?? 'write'}`), { code, ...extra });

test('raw ENOSPC, EDQUOT, EROFS, EBUSY, EACCES and EPERM become disk-full, not-writable and permission-denied', () => {
  const cases: [string, number, string][] = [
    ['ENOSPC', 507, 'disk-full'],
    ['EDQUOT', 507, 'disk-full'],
    ['EROFS', 409, 'not-writable'],
    ['EBUSY', 409, 'not-writable'],
    ['EACCES', 403, 'permission-denied'],
    ['EPERM', 403, 'permission-denied'],
  ];
  for (const [code, status, apiCode] of cases) {
    const r = errorReply(errno(code, { syscall: 'open', path: '/data/agents.json.tmp-1' }), ctx);
    assert.equal(r.status, status, code);
    assert.equal(r.unexpected, false, code);
    assert.equal(r.body.error.code, apiCode, code);
    assert.match(r.body.error.message, new RegExp(`^Could not open /data/agents\\.json\\.tmp-1: .*\\(${code}\\)$`), code);
    assert.doesNotMatch(JSON.stringify(r.body), /bug/i, code);
    assert.deepEqual(r.body.error.details, { file: '/data/agents.json.tmp-1', errno: code });
  }
});

test('an errno error without a path names the request; one inside a cause chain or an io-failed error is found too', () => {
  const bare = errorReply(errno('ENOSPC'), ctx);
  assert.equal(bare.status, 507);
  assert.match(bare.body.error.message, /^Could not write a file \(while answering POST \/api\/agents\): the disk is full \(ENOSPC\)$/);
  const chained = errorReply(new Error('saving failed', { cause: new Error('inner', { cause: errno('EROFS', { syscall: 'rename', path: '/data/agents.json' }) }) }), ctx);
  assert.equal(chained.status, 409);
  assert.match(chained.body.error.message, /^Could not rename \/data\/agents\.json: the file system is read-only/);
  const renamed = errorReply(Object.assign(errno('EPERM', { syscall: 'rename', path: '/data/agents.json.123' }), { dest: '/data/agents.json' }), ctx);
  assert.match(renamed.body.error.message, /^Could not rename \/data\/agents\.json: /, 'a rename names the file it replaces');
  const ioFailed = errorReply(new AgentTrayError('io-failed', 'Could not save x', { details: { file: '/data/settings.json' }, cause: errno('EPERM') }), ctx);
  assert.equal(ioFailed.status, 403);
  assert.match(ioFailed.body.error.message, /^Could not write \/data\/settings\.json: the operation is not permitted \(EPERM\)$/);
});

test('other errno errors stay what they were: an AgentTrayError keeps its code, an unknown one is internal', () => {
  const locked = errorReply(new AgentTrayError('host-locked', 'held', { cause: errno('ENOSPC') }), ctx);
  assert.equal(locked.body.error.code, 'host-locked');
  const other = errorReply(errno('EMFILE'), ctx);
  assert.equal(other.status, 500);
  assert.equal(other.unexpected, true);
});
