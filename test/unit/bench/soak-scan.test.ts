// The soak's /proc scan on a real process tree: a shell marked as an agent of a data directory with
// a child of its own is one main process, not two; the end-of-run sweep ends both by pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { alive, killTracked, track } from '../../helpers/processes.js';
import { waitFor } from '../../helpers/wait.js';
// @ts-expect-error -- bench/ is plain JavaScript (ESM) without type declarations
import { mainsByName, scanMarked } from '../../../bench/soak/markers.mjs';
// @ts-expect-error -- plain JavaScript
import { waitNoneMarked } from '../../../bench/soak/check.mjs';

test('scanMarked + mainsByName: a marked shell and its sleep are one main process; waitNoneMarked ends both by pid', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  t.after(killTracked);
  const dataDir = `/tmp/agent-tray-soak-scan-${process.pid}-${Date.now()}`;
  const env = { ...process.env, AGENT_TRAY_AGENT: 'script', AGENT_TRAY_DATA_DIR: dataDir };
  const shell = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], { env, stdio: 'ignore', detached: true });
  track(shell.pid);
  // the same marker under another data directory is not ours
  const other = spawn('/bin/sh', ['-c', 'sleep 30'], { env: { ...env, AGENT_TRAY_DATA_DIR: `${dataDir}-other` }, stdio: 'ignore', detached: true });
  track(other.pid);

  let procs: { pid: number; ppid: number; name: string }[] = [];
  await waitFor(() => (procs = scanMarked(dataDir)).length === 2, 5000, 'the shell and its sleep to be marked');
  const sleep = procs.find((p) => p.pid !== shell.pid);
  assert.equal(sleep?.ppid, shell.pid);
  assert.deepEqual(mainsByName(procs), new Map([['script', [shell.pid]]]));

  const left = await waitNoneMarked(dataDir, 0);
  assert.deepEqual(left.map((p: { pid: number }) => p.pid).sort(), [shell.pid, sleep?.pid].sort());
  await waitFor(() => !alive(shell.pid!) && !alive(sleep!.pid), 5000, 'both to be ended');
  assert.equal(alive(other.pid!), true, 'a process of another data directory is left alone');
});
