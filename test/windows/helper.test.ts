// The Windows helper (dist/native/agent-tray-helper.exe) against real Windows processes under
// Wine: every verb of its protocol (native/win-helper/README.md), with a cross-compiled test agent
// (test/fixtures/windows/agent-fixture.c). Wine cannot show console windows or deliver CTRL_BREAK;
// those are tested on real Windows by the GitHub Actions job, and said so below.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { ensureWinePrefix, killWineServer, runWine, startWine, wineUnavailableReason, winPath } from '../helpers/wine.js';
import { nodeExe } from '../helpers/node-win.js';
import { buildFixture, COMPILER, parseLines, type Spawned, type SpawnReply } from '../helpers/windows-agent.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const HELPER = path.join(root, 'dist', 'native', 'agent-tray-helper.exe');
const CALL_TIMEOUT_MS = 30_000;

/** Why these tests cannot run here, or null. */
function skipReason(): string | null {
  const wine = wineUnavailableReason();
  if (wine) return wine;
  if (!existsSync(HELPER)) return 'dist/native/agent-tray-helper.exe is not built (node build/build-win-helper.mjs; needs gcc-mingw-w64-x86-64)';
  if (spawnSync(COMPILER, ['--version'], { stdio: 'ignore' }).status !== 0) return `${COMPILER} is missing: the Windows test agent cannot be built`;
  return null;
}

const reason = skipReason();

describe('agent-tray-helper.exe under Wine', { skip: reason ? `Windows helper tests skipped: ${reason}` : false }, () => {
  let work: { dir: string; cleanup: () => Promise<void> };
  let fixtureExe: string;
  let jobParentExe: string;
  const started: number[] = [];

  /** Runs the helper once; its exit code, its stdout as parsed JSON lines (every line must be JSON), stderr and wall time. */
  async function helper(args: string[], stdin?: string): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string; ms: number }> {
    const run = await runWine(HELPER, args, { stdin, timeoutMs: CALL_TIMEOUT_MS });
    assert.equal(run.timedOut, false, `helper ${args.join(' ')} did not finish in ${CALL_TIMEOUT_MS} ms`);
    return { code: run.code, lines: parseLines(run.stdout), stderr: run.stderr, ms: run.ms };
  }

  /** The `spawn` request for the test agent (cwd with a space and non-ASCII), and its log's Linux path. */
  function agentRequest(name: string, args: string[], env: Record<string, string> = {}): { request: Spawned['request']; out: string; cwd: string } {
    const cwd = path.join(work.dir, `${name} dir é`);
    mkdirSync(cwd, { recursive: true });
    const out = path.join(work.dir, `${name}.out.log`);
    const exe = winPath(fixtureExe);
    const request = {
      application: exe,
      commandLine: [`"${exe}"`, ...args].join(' '),
      cwd: winPath(cwd),
      env: { SystemRoot: 'C:\\windows', AGENT_TRAY_AGENT: name, ...env },
      stdout: winPath(out),
      stderr: winPath(path.join(work.dir, `${name}.err.log`)),
    };
    return { request, out, cwd };
  }

  /** An agent record for a spawn reply. */
  function spawned(reply: SpawnReply, made: ReturnType<typeof agentRequest>): Spawned {
    started.push(reply.pid);
    return { reply, ...made, log: () => (existsSync(made.out) ? readFileSync(made.out, 'utf8') : '') };
  }

  /** Starts the test agent through `spawn` with the given arguments and environment; remembered for cleanup. */
  async function spawnAgent(name: string, args: string[], env: Record<string, string> = {}): Promise<Spawned> {
    const made = agentRequest(name, args, env);
    const { code, lines } = await helper(['spawn'], JSON.stringify(made.request));
    assert.equal(code, 0, `spawn failed: ${JSON.stringify(lines)}`);
    return spawned(lines[0] as unknown as SpawnReply, made);
  }

  /** Waits until the agent's log holds a line that matches. */
  async function waitForLog(agent: Spawned, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
    await waitFor(() => pattern.test(agent.log()), 15_000, `${what} in ${agent.out}`, 50);
    return agent.log().match(pattern) as RegExpMatchArray;
  }

  /** The helper's `info` line for one pid. */
  async function info(pid: number): Promise<Record<string, unknown>> {
    const { lines } = await helper(['info', String(pid)]);
    return lines[0] as Record<string, unknown>;
  }

  before(async () => {
    work = await tempDir('agent-tray-win-');
    await ensureWinePrefix();
    fixtureExe = buildFixture(work.dir, 'agent-fixture');
    jobParentExe = buildFixture(work.dir, 'job-parent');
  });

  after(async () => {
    for (const pid of started) await runWine(HELPER, ['kill-tree', String(pid), '0'], { timeoutMs: CALL_TIMEOUT_MS }).catch(() => undefined);
    killWineServer(); // the Wine services of this prefix, by WINEPREFIX: nothing is killed by name
    await work?.cleanup();
  });

  test('spawn: no window, its own process group, breakaway, the cwd and exactly the environment given, output appended to the log', async () => {
    const out = path.join(work.dir, 'plain.out.log');
    writeFileSync(out, 'a line from before\n');
    const before = Date.now();
    const agent = await spawnAgent('plain', ['--env', 'AGENT_TRAY_AGENT', '--env', 'FIXTURE_VALUE', '--env', 'PATH'], { FIXTURE_VALUE: 'é ✓ "quoted" \\ back' });
    const { reply } = agent;
    assert.equal(reply.ok, true);
    assert.ok(reply.pid > 0);
    assert.ok(reply.createdMs >= before - 2000 && reply.createdMs <= Date.now() + 2000, `createdMs ${reply.createdMs} is now`);
    assert.equal(Number((BigInt(reply.creationTime) - 116444736000000000n) / 10000n), reply.createdMs, 'createdMs is the FILETIME in epoch ms');
    for (const flag of ['CREATE_NO_WINDOW', 'CREATE_NEW_PROCESS_GROUP', 'CREATE_UNICODE_ENVIRONMENT']) assert.ok(reply.flags.includes(flag), flag);
    // started from Linux, the helper is in no job: breakaway is asked for (harmless) and nothing needs saying
    assert.equal(reply.inJob, false);
    assert.equal(reply.breakaway, true);
    assert.ok(reply.flags.includes('CREATE_BREAKAWAY_FROM_JOB'));
    assert.equal(reply.note, null);

    await waitForLog(agent, /^tick 2$/m, 'two ticks');
    const lines = agent.log().split('\n');
    assert.equal(lines[0], 'a line from before', 'the log is appended to, not truncated');
    assert.ok(lines.includes(`cwd=${winPath(agent.cwd)}`), `cwd line in ${JSON.stringify(lines.slice(0, 5))}`);
    assert.ok(lines.includes('env AGENT_TRAY_AGENT=plain'));
    assert.ok(lines.includes('env FIXTURE_VALUE=é ✓ "quoted" \\ back'), 'non-ASCII and quotes reach the agent intact');
    assert.ok(lines.includes('env PATH=<unset>'), "the helper's own environment is not added to the one given");
  });

  test('spawn reports the failing step as JSON: a missing program (exit 1), a bad request (exit 1), a usage error (exit 2)', async () => {
    const missing = winPath(path.join(work.dir, 'no-such-program.exe'));
    const request = { application: missing, commandLine: `"${missing}"`, cwd: winPath(work.dir), env: { A: '1' }, stdout: winPath(path.join(work.dir, 'missing.log')) };
    const failed = await helper(['spawn'], JSON.stringify(request));
    assert.equal(failed.code, 1);
    assert.equal(failed.lines.length, 1);
    assert.deepEqual({ ...failed.lines[0], message: typeof failed.lines[0]?.message }, { ok: false, step: 'CreateProcessW', code: 2, message: 'string' });
    assert.ok(String(failed.lines[0]?.message).length > 0);

    const bad = await helper(['spawn'], '{"commandLine": ');
    assert.equal(bad.code, 1);
    assert.equal(bad.lines[0]?.step, 'request');

    const usage = await helper(['kill-tree', 'twelve']);
    assert.equal(usage.code, 2);
    assert.equal(usage.lines[0]?.step, 'usage');
  });

  test('info: pid, parent, creation time, image and command line of a live agent; alive false for a dead pid', async () => {
    const agent = await spawnAgent('info', ['--env', 'AGENT_TRAY_AGENT']);
    const line = await info(agent.reply.pid);
    assert.equal(line.alive, true);
    assert.equal(typeof line.ppid, 'number');
    assert.equal(line.createdMs, agent.reply.createdMs);
    assert.equal(line.creationTime, agent.reply.creationTime);
    assert.match(String(line.exe), /\\agent-fixture\.exe$/i);
    assert.equal(line.commandLine, agent.request.commandLine);
    assert.equal(line.exitCode, null);

    const never = await info(4_000_000); // a pid Wine never hands out (it counts up in fours from 32)
    assert.deepEqual(never, { pid: 4_000_000, alive: false });
  });

  test('list: every process with its parent pid; the command lines only with --command-lines', async () => {
    const agent = await spawnAgent('tree', ['--child']);
    const childPid = Number((await waitForLog(agent, /^child=(\d+)$/m, 'the child pid'))[1]);
    started.push(childPid);
    const withLines = (await helper(['list', '--command-lines'])).lines;
    const parent = withLines.find((p) => p.pid === agent.reply.pid);
    const child = withLines.find((p) => p.pid === childPid);
    assert.ok(parent && child, 'both processes are listed');
    assert.equal(child.ppid, agent.reply.pid, "the child's ppid is the agent");
    assert.equal(parent.exe, 'agent-fixture.exe');
    assert.equal(parent.createdMs, agent.reply.createdMs);
    assert.match(String(child.commandLine), /--leaf$/);
    const plain = (await helper(['list'])).lines;
    assert.ok(plain.some((p) => p.pid === agent.reply.pid));
    assert.ok(plain.every((p) => !('commandLine' in p)));
  });

  test('env: reads the variables set at spawn from the agent (names case-insensitive); null for one not set', async () => {
    const agent = await spawnAgent('marked', [], { AGENT_TRAY_RUN_ID: 'run-42' });
    const { lines, code } = await helper(['env', String(agent.reply.pid), 'AGENT_TRAY_AGENT', 'agent_tray_run_id', 'AGENT_TRAY_DATA_DIR']);
    assert.equal(code, 0);
    assert.deepEqual(lines, [{ pid: agent.reply.pid, env: { AGENT_TRAY_AGENT: 'marked', agent_tray_run_id: 'run-42', AGENT_TRAY_DATA_DIR: null } }]);

    const gone = (await helper(['env', '4000000', 'AGENT_TRAY_AGENT'])).lines[0];
    assert.equal(gone?.env, null);
    assert.equal(typeof gone?.message, 'string');
  });

  test('kill-tree: a wrong creation time kills nothing; the right one ends the agent and its child, leaves first', async () => {
    const agent = await spawnAgent('killme', ['--child']);
    const childPid = Number((await waitForLog(agent, /^child=(\d+)$/m, 'the child pid'))[1]);
    started.push(childPid);

    const wrong = (await helper(['kill-tree', String(agent.reply.pid), String(agent.reply.createdMs + 5000)])).lines[0];
    assert.deepEqual(wrong, { ok: true, killed: [], failed: [], gone: [agent.reply.pid] });
    assert.equal((await info(agent.reply.pid)).alive, true, 'a recycled-pid check leaves the process alone');
    assert.equal((await info(childPid)).alive, true);

    const right = (await helper(['kill-tree', String(agent.reply.pid), String(agent.reply.createdMs)])).lines[0] as { killed: number[]; failed: unknown[] };
    assert.deepEqual(right.failed, []);
    assert.ok(right.killed.includes(agent.reply.pid) && right.killed.includes(childPid), JSON.stringify(right));
    assert.ok(right.killed.indexOf(childPid) < right.killed.indexOf(agent.reply.pid), 'the child is ended before its parent');
    assert.equal((await info(agent.reply.pid)).alive, false);
    assert.equal((await info(childPid)).alive, false);
  });

  test('stop: the CTRL_BREAK path reports what happened, never a faked success', async (t) => {
    // Wine 8 cannot deliver CTRL_BREAK (GenerateConsoleCtrlEvent fails with ERROR_INVALID_HANDLE);
    // the real thing is tested on Windows by the GitHub Actions windows-latest job.
    const agent = await spawnAgent('stoppable', []);
    await waitForLog(agent, /^tick 1$/m, 'the first tick');
    const { code, lines } = await helper(['stop', String(agent.reply.pid)]);
    const reply = lines[0] as { ok: boolean; step?: string; code?: number; message?: string };
    t.diagnostic(`stop under Wine: exit ${code}, ${JSON.stringify(reply)}`);
    if (reply.ok) {
      assert.equal(code, 0);
      await waitForLog(agent, /^got CTRL_BREAK$/m, 'the agent seeing CTRL_BREAK');
      return;
    }
    assert.equal(code, 1);
    assert.ok(['AttachConsole', 'SetConsoleCtrlHandler', 'GenerateConsoleCtrlEvent'].includes(String(reply.step)), `a named step: ${reply.step}`);
    assert.equal(typeof reply.code, 'number');
    assert.ok(reply.message && reply.message.length > 0);
    assert.equal((await info(agent.reply.pid)).alive, true, 'a failed stop leaves the agent running for the forced path');
    assert.doesNotMatch(agent.log(), /got CTRL_BREAK/);
  });

  test('watch: samples the pids of the last `set` every interval, leaves gone ones out, exits when stdin closes', async () => {
    const agent = await spawnAgent('watched', []);
    const watch = await startWine(HELPER, ['watch', '100']);
    try {
      const samplesOf = (): { at: number; samples: { pid: number; cpuMs: number; workingSetBytes: number; handles: number; threads: number }[] }[] =>
        parseLines(readFileSync(watch.stdoutFile, 'utf8')) as never;
      watch.child.stdin?.write(`set ${agent.reply.pid} 4000000\n`);
      await waitFor(() => samplesOf().some((l) => l.samples.length > 0), 15_000, 'a sample of the agent');
      const line = samplesOf().find((l) => l.samples.length > 0)!;
      assert.ok(Math.abs(line.at - Date.now()) < 60_000);
      assert.equal(line.samples.length, 1, 'the pid that does not exist is left out');
      const sample = line.samples[0]!;
      assert.equal(sample.pid, agent.reply.pid);
      // Wine 8 answers 0 for another process's handle count (Windows gives the real one): only its type is checked here
      assert.ok(sample.cpuMs >= 0 && sample.workingSetBytes > 0 && Number.isInteger(sample.handles) && sample.threads >= 1, JSON.stringify(sample));

      const seen = samplesOf().length;
      watch.child.stdin?.write('set\n');
      await waitFor(() => samplesOf().length > seen + 1 && samplesOf().at(-1)!.samples.length === 0, 15_000, 'empty samples after `set`');
      watch.child.stdin?.end();
      await waitFor(() => watch.child.exitCode !== null, 15_000, 'watch to exit after stdin closed');
      assert.equal(watch.child.exitCode, 0);
    } finally {
      await watch.dispose();
    }
  });

  /** Drops ended agents from the cleanup list: their pids may belong to other processes by then. */
  function forget(...agents: Spawned[]): void {
    for (const agent of agents) {
      const at = started.indexOf(agent.reply.pid);
      if (at >= 0) started.splice(at, 1);
    }
  }

  /** A resident `wait` helper: write `add` lines, read its answers (stdout goes through a file, never a pipe). */
  async function startWait(): Promise<{ add: (pid: number, createdMs: number) => void; answers: () => Record<string, unknown>[]; end: () => Promise<number | null>; dispose: () => Promise<void> }> {
    const wait = await startWine(HELPER, ['wait']);
    return {
      add: (pid, createdMs) => void wait.child.stdin?.write(`add ${pid} ${createdMs}\n`),
      answers: () => parseLines(readFileSync(wait.stdoutFile, 'utf8')),
      end: async () => {
        wait.child.stdin?.end();
        await waitFor(() => wait.child.exitCode !== null, 15_000, 'wait to exit after stdin closed');
        return wait.child.exitCode;
      },
      dispose: wait.dispose,
    };
  }

  test('wait: the exit code of each agent as it ends (0, 3, and 1 for one killed); a wrong creation time and a missing pid are gone at once; exits when stdin closes', async () => {
    const wait = await startWait();
    try {
      const clean = await spawnAgent('exit-0', ['--exit-after', '20', '0']);
      wait.add(clean.reply.pid, clean.reply.createdMs);
      const failing = await spawnAgent('exit-3', ['--exit-after', '30', '3']);
      wait.add(failing.reply.pid, failing.reply.createdMs);
      const killed = await spawnAgent('killed', []);
      wait.add(killed.reply.pid, killed.reply.createdMs);
      wait.add(killed.reply.pid, killed.reply.createdMs + 5000); // what a recycled pid looks like
      wait.add(4_000_000, 1);
      await waitFor(() => wait.answers().filter((a) => a.gone).length === 2, 15_000, 'the two gone answers');
      const gone = wait.answers().filter((a) => a.gone);
      assert.deepEqual(gone.find((a) => a.pid === killed.reply.pid), { pid: killed.reply.pid, createdMs: killed.reply.createdMs + 5000, gone: true });
      const missing = gone.find((a) => a.pid === 4_000_000);
      assert.deepEqual({ ...missing, message: typeof missing?.message }, { pid: 4_000_000, createdMs: 1, gone: true, code: 87, message: 'string' });

      await waitFor(() => wait.answers().length === 4, 15_000, 'the clean and the failing agent exiting');
      assert.deepEqual(wait.answers().slice(2), [
        { pid: clean.reply.pid, createdMs: clean.reply.createdMs, exitCode: 0 },
        { pid: failing.reply.pid, createdMs: failing.reply.createdMs, exitCode: 3 },
      ]);
      assert.match(clean.log(), /^tick 20$/m, 'it ran its course before it was reported');
      await helper(['kill-tree', String(killed.reply.pid), String(killed.reply.createdMs)]);
      await waitFor(() => wait.answers().length === 5, 15_000, 'the killed agent reported');
      assert.deepEqual(wait.answers()[4], { pid: killed.reply.pid, createdMs: killed.reply.createdMs, exitCode: 1 });
      forget(clean, failing, killed);
      assert.equal(await wait.end(), 0);
    } finally {
      await wait.dispose();
    }
  });

  test('wait: more than 63 processes at once (two waiting threads), each add answered exactly once', async () => {
    const wait = await startWait();
    try {
      const agent = await spawnAgent('many', []);
      const late = await spawnAgent('late', ['--exit-after', '30', '9']);
      for (let i = 0; i < 70; i++) wait.add(agent.reply.pid, agent.reply.createdMs); // each add holds its own handle
      wait.add(late.reply.pid, late.reply.createdMs); // the 71st: in the second group
      await waitFor(() => wait.answers().length === 1, 15_000, 'the late agent exiting');
      assert.deepEqual(wait.answers(), [{ pid: late.reply.pid, createdMs: late.reply.createdMs, exitCode: 9 }]);
      await helper(['kill-tree', String(agent.reply.pid), String(agent.reply.createdMs)]);
      await waitFor(() => wait.answers().length === 71, 15_000, '70 answers for the killed agent');
      assert.ok(wait.answers().slice(1).every((a) => a.pid === agent.reply.pid && a.exitCode === 1), JSON.stringify(wait.answers().slice(1, 3)));
      forget(agent, late);
      assert.equal(await wait.end(), 0);
    } finally {
      await wait.dispose();
    }
  });

  test('wait: an agent that ended before its add: its exit code while the system still keeps the process, else gone, never a guess', async (t) => {
    const wait = await startWait();
    try {
      const quick = await spawnAgent('quick', ['--exit-after', '0', '5']);
      await waitFor(async () => (await info(quick.reply.pid)).alive === false, 15_000, 'the agent to end');
      forget(quick);
      wait.add(quick.reply.pid, quick.reply.createdMs);
      await waitFor(() => wait.answers().length === 1, 15_000, 'the answer');
      const answer = wait.answers()[0];
      // Windows frees an ended process when its last handle closes (then: gone, its code is lost); Wine 8 keeps it a while
      t.diagnostic(`an agent ended before its add, under Wine: ${JSON.stringify(answer)}`);
      assert.ok(answer?.gone === true || answer?.exitCode === 5, JSON.stringify(answer));
      assert.equal(answer?.createdMs, quick.reply.createdMs);
      assert.equal(await wait.end(), 0);
    } finally {
      await wait.dispose();
    }
  });

  test('env --all: one line per process whose environment sets the first name, with parent, creation time and command line; the unmarked are left out', async () => {
    const marked = await spawnAgent('scan-a', [], { AGENT_TRAY_RUN_ID: 'run-a' });
    const made = agentRequest('unmarked', []);
    const unmarkedEnv = Object.fromEntries(Object.entries(made.request.env).filter(([name]) => name !== 'AGENT_TRAY_AGENT'));
    const unmarkedRun = await helper(['spawn'], JSON.stringify({ ...made.request, env: unmarkedEnv }));
    const unmarked = spawned(unmarkedRun.lines[0] as unknown as SpawnReply, made);
    const { code, lines } = await helper(['env', '--all', 'AGENT_TRAY_AGENT', 'agent_tray_run_id']);
    assert.equal(code, 0);
    const mine = lines.find((l) => l.pid === marked.reply.pid);
    assert.deepEqual(mine, {
      pid: marked.reply.pid,
      ppid: mine?.ppid,
      createdMs: marked.reply.createdMs,
      creationTime: marked.reply.creationTime,
      exe: 'agent-fixture.exe',
      commandLine: marked.request.commandLine,
      env: { AGENT_TRAY_AGENT: 'scan-a', agent_tray_run_id: 'run-a' },
    });
    assert.equal(typeof mine?.ppid, 'number');
    assert.ok(lines.every((l) => typeof (l.env as Record<string, unknown>).AGENT_TRAY_AGENT === 'string'), 'only processes that set the first name');
    assert.ok(!lines.some((l) => l.pid === unmarked.reply.pid), 'the unmarked agent is left out');
    assert.ok((await helper(['list'])).lines.some((l) => l.pid === unmarked.reply.pid), 'though it runs');
    assert.ok(!lines.some((l) => l.exe === 'agent-tray-helper.exe'), 'the helper never lists itself');
  });

  /** Runs `spawn` from job-parent.exe (in a kill-on-close job that allows breakaway or not), kills that parent, and reports the agent's fate. */
  async function spawnFromJob(mode: 'allow' | 'forbid'): Promise<{ agent: Spawned; aliveAfter: boolean }> {
    const made = agentRequest(`job-${mode}`, []);
    const files = { request: path.join(work.dir, `job-${mode}.request.json`), reply: path.join(work.dir, `job-${mode}.reply.json`) };
    writeFileSync(files.request, JSON.stringify(made.request));
    const parent = await startWine(jobParentExe, [mode, winPath(HELPER), winPath(files.request), winPath(files.reply)], { stdin: 'ignore' });
    try {
      await waitFor(() => /^done \d+/m.test(readFileSync(parent.stdoutFile, 'utf8')), 30_000, `job-parent ${mode} to run the helper`);
      assert.match(readFileSync(parent.stdoutFile, 'utf8'), /^done 0$/m, `the helper's exit code; stderr: ${readFileSync(parent.stderrFile, 'utf8')}`);
      const agent = spawned(parseLines(readFileSync(files.reply, 'utf8'))[0] as unknown as SpawnReply, made);
      await waitForLog(agent, /^tick 1$/m, 'the agent running');
      process.kill(parent.child.pid!, 'SIGKILL'); // the parent dies; its job handle closes with it
      await waitFor(() => parent.child.exitCode !== null || parent.child.signalCode !== null, 10_000, 'job-parent to die');
      // the job ends its members when its last handle closes: give that the time a tick takes, twice
      const ticks = (agent.log().match(/^tick /gm) ?? []).length;
      const alive = async (): Promise<boolean> => (await info(agent.reply.pid)).alive === true;
      await waitFor(async () => !(await alive()) || (agent.log().match(/^tick /gm) ?? []).length >= ticks + 3, 10_000, 'the agent to die or tick on');
      return { agent, aliveAfter: await alive() };
    } finally {
      await parent.dispose();
    }
  }

  test('in a kill-on-close job that allows breakaway, the helper breaks away and the agent outlives the parent', async () => {
    const { agent, aliveAfter } = await spawnFromJob('allow');
    assert.equal(agent.reply.inJob, true);
    assert.equal(agent.reply.breakaway, true);
    assert.ok(agent.reply.flags.includes('CREATE_BREAKAWAY_FROM_JOB'));
    assert.equal(agent.reply.note, null);
    assert.equal(aliveAfter, true, 'the agent is outside the job');
  });

  test('in a job that forbids breakaway, the helper retries without it, says so in `note`, and the agent ends with the job', async () => {
    const { agent, aliveAfter } = await spawnFromJob('forbid');
    assert.equal(agent.reply.inJob, true);
    assert.equal(agent.reply.breakaway, false);
    assert.ok(!agent.reply.flags.includes('CREATE_BREAKAWAY_FROM_JOB'));
    assert.match(String(agent.reply.note), /forbids breakaway.*ends when Agent Tray ends/);
    assert.equal(aliveAfter, false, 'the job ended the agent: the note told the truth');
  });

  // libuv's job allows breakaway, silent breakaway too: a grandchild of node (the agent, through the
  // helper) is outside it either way; the job-parent tests above are the ones a helper without
  // CREATE_BREAKAWAY_FROM_JOB fails. This one shows the real setting: node.exe's plain child dies with it.
  test('started from node.exe (in libuv\'s kill-on-close job), the helper breaks away: the agent outlives node, a plain child does not', async (t) => {
    const node = await nodeExe();
    if (!node.path) {
      t.skip(`node.exe for Windows is not available: ${node.reason}`);
      return;
    }
    const made = agentRequest('breakaway', []);
    const files = { request: path.join(work.dir, 'breakaway.request.json'), result: path.join(work.dir, 'breakaway.result.json'), control: path.join(work.dir, 'control.out.log') };
    writeFileSync(files.request, JSON.stringify(made.request));
    const script = fileURLToPath(new URL('../fixtures/windows/spawn-from-node.cjs', import.meta.url));
    const parent = await startWine(node.path, [script, HELPER, files.request, files.result, fixtureExe, files.control].map(winPath), { stdin: 'ignore' });
    try {
      await waitFor(() => existsSync(files.result), 60_000, 'node.exe to report the helper\'s reply');
      const result = JSON.parse(readFileSync(files.result, 'utf8')) as { code: number; stdout: string; stderr: string; controlPid: number };
      started.push(result.controlPid);
      assert.equal(result.code, 0, `helper: ${result.stdout} ${result.stderr}`);
      const agent = spawned(parseLines(result.stdout)[0] as unknown as SpawnReply, made);
      t.diagnostic(`spawn from node.exe under Wine: ${JSON.stringify(agent.reply)}`);
      assert.equal(agent.reply.inJob, true, 'node put the helper in its job');
      assert.equal(agent.reply.breakaway, true);
      assert.ok(agent.reply.flags.includes('CREATE_BREAKAWAY_FROM_JOB'));
      assert.equal(agent.reply.note, null);
      await waitForLog(agent, /^tick 1$/m, 'the agent running');
      assert.equal((await info(result.controlPid)).alive, true, 'the control child runs');

      process.kill(parent.child.pid!, 'SIGKILL'); // node.exe dies without a word: its job handle closes
      await waitFor(async () => (await info(result.controlPid)).alive === false, 15_000, 'the job to end node\'s plain child');
      const ticks = (agent.log().match(/^tick /gm) ?? []).length;
      await waitForLog(agent, new RegExp(`^tick ${ticks + 2}$`, 'm'), 'the agent ticking on after node died');
      assert.equal((await info(agent.reply.pid)).alive, true, 'the agent broke away from the job and lives on');
    } finally {
      await parent.dispose();
    }
  });

  test('measured under Wine: info of 100 pids, list --command-lines, one watch tick of 100 pids', async (t) => {
    await Promise.all(['m1', 'm2', 'm3'].map((name) => spawnAgent(name, [])));
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    /** The median wall time of five runs of one helper call (the Wine process start included). */
    const timed = async (args: string[]): Promise<{ ms: number; lines: Record<string, unknown>[] }> => {
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push(await helper(args));
      return { ms: median(runs.map((r) => r.ms)), lines: runs[0]!.lines };
    };
    const baseline = await timed(['no-such-verb']);
    const listed = await timed(['list', '--command-lines']);
    const live = listed.lines.filter((p) => p.exe !== 'agent-tray-helper.exe').map((p) => Number(p.pid)); // not the `list` call itself, ended by now
    const pids = Array.from({ length: 100 }, (_, i) => String(live[i % live.length]));
    const infos = await timed(['info', ...pids]);
    assert.equal(infos.lines.length, 100);
    assert.ok(infos.lines.every((l) => l.alive === true), 'every pid asked about is alive');

    const watch = await startWine(HELPER, ['watch', '50'], { env: { AGENT_TRAY_HELPER_TIMING: '1' } });
    let tickMs: number[];
    try {
      watch.child.stdin?.write(`set ${pids.join(' ')}\n`);
      const ticks = (): number[] => [...readFileSync(watch.stderrFile, 'utf8').matchAll(/tick of 100 pids took ([\d.]+) ms/g)].map((m) => Number(m[1]));
      await waitFor(() => ticks().length >= 10, 15_000, 'ten watch ticks of 100 pids');
      tickMs = ticks();
      watch.child.stdin?.end();
    } finally {
      await watch.dispose();
    }
    const report = {
      'a helper call that does nothing (the Wine process start), ms': Math.round(baseline.ms),
      'info of 100 pids, ms (whole call)': Math.round(infos.ms),
      [`list --command-lines of ${listed.lines.length} processes, ms (whole call)`]: Math.round(listed.ms),
      'one watch tick of 100 pids, ms (inside the resident helper)': median(tickMs),
    };
    for (const [what, value] of Object.entries(report)) t.diagnostic(`${what}: ${value} (median of ${what.includes('tick') ? tickMs.length : 5})`);
    assert.ok(tickMs.every((ms) => ms >= 0));
  });
});
