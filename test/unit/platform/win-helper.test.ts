// The Windows helper's client: where the executable is found, how its replies are parsed (good,
// a failure report, garbage), and the real transport (execFile with stdin, exit codes, a resident
// `watch`) against a stand-in process. All helper output here is CONSTRUCTED from the protocol
// (native/win-helper/, the README's Windows section), not recorded on Windows; the Wine lane
// (test/windows/) runs the real agent-tray-helper.exe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentTrayError } from '../../../electron/core/errors.js';
import { KillTreeReplySchema, SpawnReplySchema, oneReply, repliesOf, InfoLineSchema } from '../../../electron/core/platform/win-helper-protocol.js';
import {
  WIN_HELPER_EXE,
  createWinHelper,
  execTransport,
  isHelperUnusable,
  locateWinHelper,
  winHelperCandidates,
  type WatchTick,
} from '../../../electron/core/platform/win-helper.js';

const FAKE = fileURLToPath(new URL('../../fixtures/win-helper/fake-helper.mjs', import.meta.url));
const EXE = 'C:\\Agent Tray\\resources\\native\\agent-tray-helper.exe';

test('the helper is looked for in AGENT_TRAY_WIN_HELPER, then resources/native/, then <root>/dist/native/', () => {
  const fromSources = '/repo/electron/core/platform';
  const fromBuild = '/repo/dist/electron/core/platform';
  assert.deepEqual(winHelperCandidates({ env: {}, moduleDir: fromSources }), [path.join('/repo/dist/native', WIN_HELPER_EXE)]);
  assert.deepEqual(winHelperCandidates({ env: {}, moduleDir: fromBuild }), [path.join('/repo/dist/native', WIN_HELPER_EXE)]);
  assert.deepEqual(winHelperCandidates({ env: { AGENT_TRAY_WIN_HELPER: '/x/h.exe' }, resourcesPath: '/app/resources', moduleDir: fromBuild }), [
    '/x/h.exe',
    path.join('/app/resources/native', WIN_HELPER_EXE),
    path.join('/repo/dist/native', WIN_HELPER_EXE),
  ]);
  const packaged = path.join('/app/resources/native', WIN_HELPER_EXE);
  assert.equal(locateWinHelper({ env: {}, resourcesPath: '/app/resources', moduleDir: fromBuild, exists: (f) => f === packaged }), packaged);
  assert.equal(locateWinHelper({ env: {}, resourcesPath: '/app/resources', moduleDir: fromBuild, exists: () => false }), null, 'missing: null (the callers fall back)');
  // an override is taken as given, even when it does not exist: a wrong path fails loudly, never silently falls back
  assert.equal(locateWinHelper({ env: { AGENT_TRAY_WIN_HELPER: '/nope.exe' }, moduleDir: fromBuild, exists: () => true }), '/nope.exe');
});

test('a good spawn reply becomes typed values', () => {
  const stdout =
    '{"ok":true,"pid":1234,"createdMs":1765000000000,"creationTime":"134097736000000000","flags":["CREATE_NO_WINDOW","CREATE_NEW_PROCESS_GROUP","CREATE_UNICODE_ENVIRONMENT","CREATE_BREAKAWAY_FROM_JOB"],"inJob":true,"breakaway":true,"note":null}\r\n';
  const reply = oneReply(EXE, 'spawn', { stdout, stderr: '', exitCode: 0 }, SpawnReplySchema);
  assert.equal(reply.pid, 1234);
  assert.equal(reply.createdMs, 1765000000000);
  assert.ok(reply.flags.includes('CREATE_BREAKAWAY_FROM_JOB'));
  assert.equal(reply.note, null);
  const kill = oneReply(EXE, 'kill-tree', { stdout: '{"ok":true,"killed":[1,2],"failed":[{"pid":3,"code":5,"message":"Access is denied."}],"gone":[4]}\n', stderr: '', exitCode: 0 }, KillTreeReplySchema);
  assert.deepEqual(kill.failed, [{ pid: 3, code: 5, message: 'Access is denied.' }]);
});

test('a failure report becomes an AgentTrayError with the step, the Windows code and its message', () => {
  const run = { stdout: '{"ok":false,"step":"CreateProcessW","code":2,"message":"The system cannot find the file specified."}\n', stderr: '', exitCode: 1 };
  assert.throws(
    () => oneReply(EXE, 'spawn', run, SpawnReplySchema),
    (err: AgentTrayError) => {
      assert.ok(err instanceof AgentTrayError);
      assert.equal(err.code, 'helper-failed');
      assert.match(err.message, /"spawn" failed at CreateProcessW: The system cannot find the file specified\. \(Windows error 2\)/);
      assert.deepEqual({ step: err.details.step, winCode: err.details.winCode, winMessage: err.details.winMessage }, { step: 'CreateProcessW', winCode: 2, winMessage: 'The system cannot find the file specified.' });
      assert.equal(isHelperUnusable(err), false, 'the helper worked: Windows refused');
      return true;
    },
  );
});

test('garbage, another version and silent failures are "unusable" errors that say what came back', () => {
  const cases: [string, { stdout: string; stderr: string; exitCode: number | null }, RegExp][] = [
    ['not JSON', { stdout: 'Segmentation fault\n', stderr: '', exitCode: 0 }, /not a JSON line: "Segmentation fault"/],
    ['exit 2', { stdout: '', stderr: 'usage: agent-tray-helper spawn|stop|…', exitCode: 2 }, /does not understand this command \(exit 2: a helper of another version\?\): usage/],
    ['exit 2 with its usage line', { stdout: '{"ok":false,"step":"usage","code":87,"message":"unknown verb: frobnicate"}\n', stderr: '', exitCode: 2 }, /exit 2: a helper of another version\?\): unknown verb: frobnicate/],
    ['a crash without a report', { stdout: '', stderr: '', exitCode: 3221225477 }, /exit code 3221225477 and no failure report/],
    ['killed', { stdout: '', stderr: '', exitCode: null }, /no exit code \(killed\)/],
    ['a line of another shape', { stdout: '{"pid":"12","alive":true}\n', stderr: '', exitCode: 0 }, /does not understand \(/],
  ];
  for (const [what, run, pattern] of cases) {
    assert.throws(
      () => repliesOf(EXE, 'info', run, InfoLineSchema),
      (err: AgentTrayError) => err.code === 'helper-failed' && isHelperUnusable(err) && pattern.test(err.message) && err.message.includes(EXE) && /AGENT_TRAY_WIN_HELPER/.test(err.message),
      what,
    );
  }
  assert.throws(() => oneReply(EXE, 'stop', { stdout: '', stderr: '', exitCode: 0 }, SpawnReplySchema), /printed 0 reply lines where one was expected/);
});

test('the real transport: info lines from a running helper, the spawn request on its stdin', async () => {
  const helper = createWinHelper(FAKE, execTransport(FAKE));
  const facts = await helper.info([12, 404]);
  assert.deepEqual(
    facts.map((f) => [f.pid, f.alive]),
    [
      [12, true],
      [404, false],
    ],
  );
  const live = facts[0]!;
  assert.ok(live.alive && live.commandLine?.includes('--name "é ü"'), 'UTF-8 survives');
  const reply = await helper.spawn({ application: 'C:\\n\\node.exe', commandLine: '"C:\\n\\node.exe" a.js ✓', cwd: 'C:\\', env: { A: '1' }, stdout: 'o', stderr: 'e' });
  assert.equal(reply.pid, 4242);
  assert.equal(reply.note, '"C:\\n\\node.exe" a.js ✓', 'the stand-in echoes the command line it read on stdin');
});

test('the real transport: a failure report, an unknown verb, a missing executable, garbage', async () => {
  const helper = createWinHelper(FAKE, execTransport(FAKE));
  await assert.rejects(helper.stop(1), (err: AgentTrayError) => err.details.step === 'AttachConsole' && err.details.winCode === 6 && !isHelperUnusable(err));
  await assert.rejects(helper.list(), (err: AgentTrayError) => isHelperUnusable(err) && /exit 2/.test(err.message) && /unknown verb list/.test(err.message));
  const missing = createWinHelper('/no/such/agent-tray-helper.exe');
  await assert.rejects(missing.info([1]), (err: AgentTrayError) => isHelperUnusable(err) && /could not be run \(.*ENOENT/.test(err.message));
  process.env.FAKE_HELPER_MODE = 'garbage';
  try {
    await assert.rejects(helper.info([1]), (err: AgentTrayError) => isHelperUnusable(err) && /Segmentation fault/.test(err.message));
  } finally {
    delete process.env.FAKE_HELPER_MODE;
  }
});

test('the real transport: watch samples the pids it was last given, and ends when closed', async () => {
  const helper = createWinHelper(FAKE, execTransport(FAKE));
  const watch = helper.watch(2000);
  // the resident helper never keeps a host alive (its handles are unref'ed): the test holds the loop itself
  const hold = setInterval(() => undefined, 1_000);
  try {
    const tick = new Promise<WatchTick>((resolve) => watch.onTick(resolve));
    watch.set([11, 22]);
    const got = await tick;
    assert.deepEqual(
      got.samples.map((s) => [s.pid, s.handles, s.threads]),
      [
        [11, 7, 2],
        [22, 7, 2],
      ],
    );
    watch.close();
    assert.equal(await watch.ended, null, 'closed by us: no error');
  } finally {
    clearInterval(hold);
  }
});
