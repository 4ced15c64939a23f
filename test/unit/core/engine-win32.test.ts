// The engine's Windows start path, on Linux with the platform given explicitly and a simulated
// Windows behind the helper (its lines are CONSTRUCTED from the protocol, not recorded): the helper
// spawns, the status says how (flags, breakaway, note), the PID file records the helper's creation
// time, the exit code comes from one resident `wait` helper per engine (polling where it cannot
// tell), stop goes through CTRL_BREAK. With Windows path rules on
// Linux every data path is one file name (backslashes are no separators here), so the test works
// inside its own temporary directory; `C:\agents\node.exe` is such a file, for preflight to find.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Engine } from '../../../electron/core/engine.js';
import type { EngineEvent } from '../../../shared/status.js';
import { AgentTrayError } from '../../../electron/core/errors.js';
import { logFiles, pidFile } from '../../../electron/core/paths.js';
import { readPidFile } from '../../../electron/core/pid-file.js';
import { spawnAgent } from '../../../electron/core/spawn-agent.js';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import { SimWindows } from '../../helpers/fake-win-helper.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { isState } from '../../helpers/engine.js';
import { waitFor, waitForEvent } from '../../helpers/wait.js';
import { alignedDelay } from '../../../electron/core/platform/win-info-batch.js';

const PROGRAM = 'C:\\agents\\node.exe';
let root: { dir: string; cleanup: () => Promise<void> };
let agentsDir: string;
const startDir = process.cwd();
const engines: Engine[] = [];

before(async () => {
  root = await tempDir();
  agentsDir = path.join(root.dir, 'agents');
  await mkdir(agentsDir);
  process.chdir(root.dir);
  writeFileSync(path.join(root.dir, PROGRAM), '');
});
after(async () => {
  process.chdir(startDir);
  await root.cleanup();
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

/** Matches the first state event of `name` that leaves `running`. */
const leftRunning =
  (name: string) =>
  (e: EngineEvent): e is Extract<EngineEvent, { type: 'state' }> =>
    e.type === 'state' && e.name === name && e.from === 'running';

/** An engine for win32 over `sim`, with one agent. */
function windowsEngine(sim: SimWindows, agent: Partial<AgentDefinitionInput> = {}): Engine {
  const engine = new Engine({ dataDir: path.join(root.dir, `data-${engines.length}`), platform: 'win32', winHelper: sim.helper, adoptedPollMs: 20, env: { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows' } });
  engine.setDefinitions([{ name: 'alpha', command: PROGRAM, args: ['app.js', '--title', 'My agent'], cwd: agentsDir, restart: { policy: 'no' }, ...agent }]);
  engines.push(engine);
  return engine;
}

test('start: the helper spawns, the status shows its flags, the PID file has its creation time', async () => {
  const sim = new SimWindows();
  const engine = windowsEngine(sim);
  const status = await engine.start('alpha');
  const [call] = sim.calls.filter((c) => c.args[0] === 'spawn');
  const request = JSON.parse(call!.input!) as { application: string; commandLine: string; cwd: string; env: Record<string, string>; stdout: string; stderr: string };
  const proc = [...sim.processes.values()].find((p) => p.commandLine === request.commandLine)!;
  assert.equal(status.state, 'running');
  assert.equal(status.pid, proc.pid, 'the pid the helper reported');
  assert.deepEqual(status.windows, { helper: true, flags: ['CREATE_NO_WINDOW', 'CREATE_NEW_PROCESS_GROUP', 'CREATE_UNICODE_ENVIRONMENT', 'CREATE_BREAKAWAY_FROM_JOB'], breakaway: true, note: null });
  assert.equal(request.application, PROGRAM);
  assert.equal(request.commandLine, 'C:\\agents\\node.exe app.js --title "My agent"');
  assert.equal(request.cwd, agentsDir);
  assert.equal(request.env.AGENT_TRAY_AGENT, 'alpha');
  assert.equal(request.env.AGENT_TRAY_DATA_DIR, engine.paths.root);
  assert.match(request.env.AGENT_TRAY_RUN_ID ?? '', /\S/);
  assert.equal(request.env.Path, 'C:\\Windows', 'the whole environment block');
  assert.deepEqual({ stdout: request.stdout, stderr: request.stderr }, logFiles(engine.paths, 'alpha', 'win32'));
  const pid = await readPidFile(pidFile(engine.paths, 'alpha', 'win32'));
  assert.ok(pid?.kind === 'record');
  assert.equal(pid.record.pid, proc.pid);
  assert.equal(pid.record.processStartTime, proc.createdMs, "the helper's creation time, as reported at spawn");
});

test('the exit code comes from the resident wait helper: exit 0 → stopped, which on-failure leaves alone; exit 1 → crashed with its code', async () => {
  const sim = new SimWindows();
  const engine = windowsEngine(sim, { restart: { policy: 'on-failure', backoff: { initialMs: 60_000 } } });
  const { pid } = await engine.start('alpha');
  assert.deepEqual(sim.callsOf('wait'), [['wait']], 'the waiter was started for the agent');
  const stopped = waitForEvent(engine, leftRunning('alpha'), 5_000, 'alpha leaving running');
  sim.exit(pid!, 0);
  const clean = await stopped;
  assert.equal(clean.to, 'stopped', 'a clean exit is not restarted by on-failure');
  assert.equal(clean.reason.exitCode, 0);
  assert.match(clean.reason.message, /exited normally \(code 0\)/);
  assert.equal(engine.status('alpha').state, 'stopped');

  const second = await engine.start('alpha');
  const failed = waitForEvent(engine, leftRunning('alpha'), 5_000, 'alpha leaving running');
  sim.exit(second.pid!, 1);
  const crash = await failed;
  assert.equal(crash.to, 'backoff', 'on-failure restarts a failed exit');
  assert.equal(crash.reason.exitCode, 1);
  assert.match(crash.reason.message, /exited with code 1; restarting/);
  assert.equal(engine.status('alpha').lastError?.exitCode, 1);
  assert.equal(sim.callsOf('info').length, 0, 'no exit poll ran');
});

test('one waiter per engine: shared by all agents, started again when it dies (the agents asked about again), ended with the engine', async () => {
  const sim = new SimWindows();
  const engine = windowsEngine(sim);
  const base = { command: PROGRAM, cwd: agentsDir, restart: { policy: 'no' as const } };
  engine.setDefinitions([{ name: 'a', ...base }, { name: 'b', ...base }]);
  assert.equal(sim.waits.size, 0, 'nothing runs before the first agent');
  const a = await engine.start('a');
  const b = await engine.start('b');
  assert.equal(sim.waits.size, 1);
  assert.deepEqual([...[...sim.waits][0]!.waited.keys()], [a.pid, b.pid]);

  sim.killWaits();
  await waitFor(() => sim.waits.size === 1 && [...sim.waits][0]!.waited.size === 2, 5_000, 'a new waiter holding both agents');
  assert.equal(sim.callsOf('wait').length, 2);
  const crashed = waitForEvent(engine, isState('b', 'crashed'), 5_000, 'b crashed');
  sim.exit(b.pid!, 7);
  assert.equal((await crashed).reason.exitCode, 7, 'the exit code through the second waiter');

  await engine.close();
  assert.equal(sim.waits.size, 0, 'closed with the engine');
});

test('an older helper without wait: the exit is polled, unknown status → crashed, a readable exit code 0 → stopped', async () => {
  const sim = new SimWindows();
  sim.knowsNewVerbs = false;
  const engine = windowsEngine(sim);
  const { pid } = await engine.start('alpha');
  const crashed = waitForEvent(engine, isState('alpha', 'crashed'), 5_000, 'alpha crashed');
  sim.exit(pid!);
  const event = await crashed;
  assert.match(event.reason.message, /exit status is unknown: the Windows helper could not wait for it/);
  assert.equal(sim.callsOf('wait').length, 1, 'tried once: exit 2 says it will never work');

  const second = await engine.start('alpha');
  sim.processes.get(second.pid!)!.keepsExitCode = true;
  const stopped = waitForEvent(engine, isState('alpha', 'stopped'), 5_000, 'alpha stopped');
  sim.exit(second.pid!, 0);
  assert.equal((await stopped).reason.exitCode, 0);
  assert.equal(sim.callsOf('wait').length, 1);
});

test('an agent that ended before the waiter could hold it: gone, the poll notices, its status unknown', async () => {
  const sim = new SimWindows();
  sim.spawnedExitsAt = 0;
  const engine = windowsEngine(sim, { restart: { policy: 'no' } });
  const crashed = waitForEvent(engine, isState('alpha', 'crashed'), 5_000, 'alpha crashed');
  await engine.start('alpha');
  assert.match((await crashed).reason.message, /exit status is unknown/);
  assert.ok(sim.callsOf('info').length > 0, 'the info poll took over');
});

test('polled (no waiter), a pid taken by another process (other creation time) counts as exited', async () => {
  const sim = new SimWindows();
  sim.knowsNewVerbs = false;
  const engine = windowsEngine(sim);
  const { pid } = await engine.start('alpha');
  const crashed = waitForEvent(engine, isState('alpha', 'crashed'), 5_000, 'alpha crashed');
  sim.exit(pid!);
  sim.add({ pid: pid! }); // reused at once
  await crashed;
});

test('without the waiter, the exit polls of many agents share one info run per beat', async () => {
  const sim = new SimWindows();
  sim.knowsNewVerbs = false;
  const engine = windowsEngine(sim);
  const base = { command: PROGRAM, cwd: agentsDir, restart: { policy: 'no' as const } };
  engine.setDefinitions([{ name: 'a', ...base }, { name: 'b', ...base }, { name: 'c', ...base }]);
  const pids: string[] = [];
  for (const name of ['a', 'b', 'c']) pids.push(String((await engine.start(name)).pid));
  await waitFor(() => sim.callsOf('info').some((c) => pids.every((p) => c.includes(p))), 5_000, 'one info call naming all three pids');
  assert.equal(alignedDelay(1000, 12_345_250), 750);
  assert.equal(alignedDelay(1000, 12_345_000), 1000);
});

test('stop: CTRL_BREAK through the helper, the PID file goes', async () => {
  const sim = new SimWindows();
  const engine = windowsEngine(sim);
  const { pid } = await engine.start('alpha');
  const result = await engine.stop('alpha');
  assert.equal(result.outcome, 'graceful');
  assert.deepEqual(sim.callsOf('stop'), [['stop', String(pid)]]);
  assert.equal(result.survivors, undefined);
  assert.equal(await readPidFile(pidFile(engine.paths, 'alpha', 'win32')), null);
  assert.equal(engine.status('alpha').windows, undefined, 'only while it runs');
});

test('a stop that leaves a process alive says so: survivors in the result and the message', async () => {
  const sim = new SimWindows();
  const engine = windowsEngine(sim, { stop: { timeoutMs: 20 } });
  const { pid } = await engine.start('alpha');
  sim.processes.get(pid!)!.onBreak = 'ignore';
  const stuck = sim.add({ ppid: pid!, onBreak: 'ignore', unkillable: true });
  const stopped = waitForEvent(engine, isState('alpha', 'stopped'), 30_000, 'alpha stopped');
  const result = await engine.stop('alpha');
  assert.deepEqual(result.survivors, [stuck.pid]);
  assert.match((await stopped).reason.message, new RegExp(`still alive: ${stuck.pid}.*Access is denied`));
});

test('no breakaway: the status and the log say the agent ends with Agent Tray', async () => {
  const sim = new SimWindows();
  sim.breakawayAllowed = false;
  const engine = windowsEngine(sim, { stop: { stdin: 'quit' } });
  const logged = waitForEvent(engine, (e) => e.type === 'log' && e.name === 'alpha' && e.lines.some((l) => /ends when Agent Tray ends/.test(l.text)), 5_000, 'the note in the log');
  const status = await engine.start('alpha');
  await logged;
  assert.equal(status.windows?.breakaway, false);
  assert.ok(!status.windows?.flags.includes('CREATE_BREAKAWAY_FROM_JOB'));
  assert.match(status.windows?.note ?? '', /forbids breakaway.*this agent ends when Agent Tray ends; stop\.stdin cannot reach an agent started by the Windows helper/);
});

test('Windows refuses the program: the start fails with the helper\'s step and message', async () => {
  const sim = new SimWindows();
  sim.spawnError = { code: 193, message: '%1 is not a valid Win32 application.' };
  const engine = windowsEngine(sim);
  await assert.rejects(engine.start('alpha'), (err: AgentTrayError) => err.code === 'spawn-failed' && /CreateProcessW: %1 is not a valid Win32 application\. \(Windows error 193\)/.test(err.message));
  assert.equal(engine.status('alpha').state, 'errored');
});

test('a helper that cannot be used: Node spawns the agent, and the status says what is not kept', async (t) => {
  const sim = new SimWindows();
  sim.garbage = 'MZ\u0090\n';
  const out = openSync(devNull, 'a');
  t.after(() => closeSync(out));
  const started = await spawnAgent({
    platform: 'win32',
    helper: sim.helper,
    executable: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1000)'],
    cwd: agentsDir,
    env: { ...process.env } as Record<string, string>,
    stopStdin: false,
    fds: { stdoutFd: out, stderrFd: out },
    files: { stdout: 'unused', stderr: 'unused' },
    watchExit: () => new Promise(() => undefined),
  });
  t.after(() => process.kill(started.pid, 'SIGKILL'));
  assert.ok(started.child, 'a real child of Node');
  assert.equal(started.windows?.helper, false);
  assert.match(started.windows?.note ?? '', /started without agent-tray-helper\.exe \(.*not a JSON line.*\): this agent ends when Agent Tray ends, and a console window may show/);
  assert.equal(sim.callsOf('spawn').length, 1, 'the helper was tried first');
});
