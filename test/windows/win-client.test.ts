// The TypeScript side of the Windows helper against the real agent-tray-helper.exe under Wine:
// the client's parsing of real replies (createWinHelper over a Wine transport), the exit codes from
// the resident `wait` helper, the marker scan (one `env --all`, measured against the per-process
// scan), the command lines
// of win-command-line.ts as the real node.exe's C runtime and Wine's cmd.exe split them, and
// stopWindowsTree on a real tree. What Wine cannot show (CTRL_BREAK, and `%` through cmd.exe: Wine's
// cmd.exe expands `^%VAR^%` and re-expands a batch file's %*, which Windows does not) is left to
// the windows-latest CI job; the arguments here hold no `%`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { windowsCommandLine } from '../../electron/core/platform/win-command-line.js';
import { createWinHelper, type HelperTransport, type SpawnReply, type WinHelper } from '../../electron/core/platform/win-helper.js';
import { WinExitWaiter } from '../../electron/core/platform/win-exit-waiter.js';
import { winMarkedProcesses, winMarkedProcessesOneByOne } from '../../electron/core/platform/win-facts.js';
import { pollExit } from '../../electron/core/spawn-agent.js';
import { stopWindowsTree } from '../../electron/core/stop-windows.js';
import { wineHelperStream } from '../helpers/wine-stream.js';
import { nodeExe } from '../helpers/node-win.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { ensureWinePrefix, killWineServer, runWine, wineUnavailableReason, winPath } from '../helpers/wine.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const HELPER = path.join(root, 'dist', 'native', 'agent-tray-helper.exe');

/** Why these tests cannot run here, or null. */
async function skipReason(): Promise<string | null> {
  const wine = wineUnavailableReason();
  if (wine) return wine;
  if (!existsSync(HELPER)) return 'dist/native/agent-tray-helper.exe is not built (node build/build-win-helper.mjs; needs gcc-mingw-w64-x86-64)';
  const node = await nodeExe();
  return node.reason;
}

const reason = await skipReason();

/** The resident helpers the tests started (ended in `after`). */
const residents: { dispose: () => Promise<void> }[] = [];

/** Runs the helper once per call under Wine (stdin and output through files); a resident one (`wait`) with its output through a file. */
const wineTransport: HelperTransport = {
  run: async (args, input) => {
    const r = await runWine(HELPER, [...args], { stdin: input, timeoutMs: 30_000 });
    if (r.timedOut) throw new Error(`helper ${args.join(' ')} did not finish in 30 s`);
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code };
  },
  start: (args) => {
    const stream = wineHelperStream(HELPER, args);
    residents.push(stream);
    return stream;
  },
};

describe('the TypeScript client of agent-tray-helper.exe under Wine', { skip: reason ? `Windows client tests skipped: ${reason}` : false }, () => {
  let work: { dir: string; cleanup: () => Promise<void> };
  let node: string;
  let helper: WinHelper;
  const started: { pid: number; createdMs: number }[] = [];

  before(async () => {
    work = await tempDir('agent-tray-win-client-');
    await ensureWinePrefix();
    node = winPath((await nodeExe()).path as string);
    helper = createWinHelper(HELPER, wineTransport);
  });

  after(async () => {
    for (const r of residents) await r.dispose();
    for (const p of started) await helper.killTree(p.pid, p.createdMs).catch(() => undefined);
    killWineServer(); // this prefix's Wine processes, by WINEPREFIX: nothing is killed by name
    await work?.cleanup();
  });

  /** Starts `application` with `commandLine` through the client; resolves with the reply and the log's Linux path. */
  async function start(name: string, line: { application: string; commandLine: string }, env: Record<string, string> = {}) {
    const out = path.join(work.dir, `${name}.log`);
    writeFileSync(out, '');
    const reply = await helper.spawn({ ...line, cwd: winPath(work.dir), env: { SystemRoot: 'C:\\windows', PATH: 'C:\\windows\\system32', AGENT_TRAY_AGENT: name, ...env }, stdout: winPath(out), stderr: winPath(out) });
    started.push({ pid: reply.pid, createdMs: reply.createdMs });
    return { reply, log: () => readFileSync(out, 'utf8') };
  }

  /** The argv node.exe saw, printed by a one-line script as JSON. */
  const PRINT_ARGV = 'console.log(JSON.stringify(process.argv.slice(1)))';

  test("node.exe's C runtime splits the command line back into the argv given", async () => {
    const args = ['a b', '', 'say "hi"', 'a\\"b', 'ends\\', 'ends with space\\', '\\\\server\\share', 'tab\there', 'é ü ✓ 中'];
    const { log } = await start('argv', windowsCommandLine(node, ['-e', PRINT_ARGV, '--', ...args], {}));
    await waitFor(() => log().includes(']'), 20_000, 'the argv line', 50);
    assert.deepEqual(JSON.parse(log().trim()), args);
  });

  test("a .cmd file in a folder with & ( ) and spaces gets its arguments through Wine's cmd.exe", async () => {
    const dir = path.join(work.dir, 'R&D (x) dir');
    mkdirSync(dir);
    const shim = path.join(dir, 'shim.cmd');
    writeFileSync(shim, `@"${node}" -e "${PRINT_ARGV}" -- %*\r\n`);
    const args = ['--port', '8080', 'a b', 'x&y', '(1)', 'a|b', 'a^b', '!x!', 'a,b', 'a;b', 'a=b', '', 'C:\\my dir\\', 'é ✓', '<in>'];
    const { log } = await start('shim', windowsCommandLine(winPath(shim), args, { SystemRoot: 'C:\\windows' }));
    await waitFor(() => log().includes(']'), 20_000, 'the argv line', 50);
    assert.deepEqual(JSON.parse(log().trim()), args);
  });

  test('real replies parse: spawn, info, list, env; a pid that is gone is not alive', async () => {
    const { reply } = await start('facts', windowsCommandLine(node, ['-e', 'setInterval(() => {}, 1000)'], {}));
    assert.ok(reply.flags.includes('CREATE_NO_WINDOW'));
    const [fact, gone] = await helper.info([reply.pid, 4_000_000]);
    assert.ok(fact?.alive);
    assert.equal(fact.createdMs, reply.createdMs, 'info and spawn agree on the creation time');
    assert.match(fact.commandLine ?? '', /setInterval/);
    assert.deepEqual(gone, { pid: 4_000_000, alive: false });
    assert.ok((await helper.list({ commandLines: true })).some((p) => p.pid === reply.pid && p.createdMs === reply.createdMs));
    assert.deepEqual(await helper.env(reply.pid, ['AGENT_TRAY_AGENT', 'AGENT_TRAY_RUN_ID']), { pid: reply.pid, env: { AGENT_TRAY_AGENT: 'facts', AGENT_TRAY_RUN_ID: null } });
  });

  test('the exit waiter over the real helper: exit 0 and exit 3 come back with their codes through pollExit; a wrong creation time is gone', async () => {
    const waiter = new WinExitWaiter(helper);
    try {
      // each agent exits with its code once the test says so (a file appears), after the waiter holds it
      const go = path.join(work.dir, 'exit-now');
      const exitWhenTold = (code: number) => `const t = setInterval(() => { if (require('fs').existsSync(${JSON.stringify(winPath(go))})) { clearInterval(t); process.exit(${code}); } }, 50)`;
      const agents: SpawnReply[] = [];
      for (const code of [0, 3]) agents.push((await start(`exits-${code}`, windowsCommandLine(node, ['-e', exitWhenTold(code)], {}))).reply);
      started.splice(-2); // they end by themselves: their pids are not killed later
      const exits = agents.map((reply) => pollExit({ pid: reply.pid, createdMs: reply.createdMs, platform: 'win32', helper, waiter, intervalMs: 60_000, holder: { exitPoll: null } }));
      // the waiter answers in the order it was asked: this answer comes after both agents were added
      assert.deepEqual(await waiter.exitOf(agents[0]!.pid, agents[0]!.createdMs + 5000), { gone: true });
      writeFileSync(go, '');
      assert.deepEqual(await Promise.all(exits), [
        { code: 0, signal: null },
        { code: 3, signal: null },
      ]);
      assert.equal(waiter.running, true, 'one resident helper answered all');
    } finally {
      waiter.close();
    }
  });

  test('the marker scan: one env --all finds what the per-process scan finds (measured)', async (t) => {
    const dataDir = 'C:\\Agent Tray data';
    const alive = "setInterval(() => {}, 1000)";
    const agents: SpawnReply[] = [];
    for (const name of ['scan-a', 'scan-b']) agents.push((await start(name, windowsCommandLine(node, ['-e', alive], {}), { AGENT_TRAY_DATA_DIR: dataDir, AGENT_TRAY_RUN_ID: `run-${name}` })).reply);
    await start('scan-other', windowsCommandLine(node, ['-e', alive], {}), { AGENT_TRAY_DATA_DIR: 'D:\\elsewhere' });
    const timed = async <T>(scan: () => Promise<T>): Promise<{ ms: number; value: T }> => {
      const at = performance.now();
      const value = await scan();
      return { ms: performance.now() - at, value };
    };
    const batched = await timed(() => winMarkedProcesses(helper, { dataDir }));
    const oneByOne = await timed(() => winMarkedProcessesOneByOne(helper, { dataDir }));
    // each console agent's conhost.exe (its child) inherited its environment: it carries the markers too
    const [agentsFound, consoles] = [batched.value.filter((m) => !/conhost\.exe/i.test(m.commandLine ?? '')), batched.value.filter((m) => /conhost\.exe/i.test(m.commandLine ?? ''))];
    assert.deepEqual(agentsFound.map((m) => [m.pid, m.name, m.runId, m.startTime]), agents.map((a, i) => [a.pid, `scan-${'ab'[i]}`, `run-scan-${'ab'[i]}`, a.createdMs]));
    assert.match(agentsFound[0]?.commandLine ?? '', /setInterval/);
    assert.ok(consoles.every((c) => agents.some((a) => a.pid === c.ppid)), 'the rest are the agents\' own console hosts');
    assert.deepEqual(batched.value, oneByOne.value, 'the same processes, parents, creation times and command lines');
    const processes = (await helper.list()).length;
    t.diagnostic(`marker scan under Wine, ${processes} processes: env --all ${Math.round(batched.ms)} ms (one helper run), per process ${Math.round(oneByOne.ms)} ms (list + ${processes} env runs, 8 at a time)`);
  });

  test('stopWindowsTree: Wine refuses CTRL_BREAK, so the tree is killed at once, and nothing of it lives after', async () => {
    const script = "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000)";
    const { reply } = await start('tree', windowsCommandLine(node, ['-e', script], {}));
    await waitFor(async () => (await helper.list()).some((p) => p.ppid === reply.pid && p.exe === 'node.exe'), 20_000, 'the child node.exe', 100);
    const result = await stopWindowsTree({ pid: reply.pid, createdMs: reply.createdMs, timeoutMs: 10_000, helper, taskkill: () => Promise.resolve(1) });
    assert.equal(result.outcome, 'killed');
    assert.deepEqual(result.survivors, []);
    assert.ok(result.pids.length >= 2, `the root and its child node.exe: ${JSON.stringify(result.pids)}`);
    assert.match(result.notes.join('\n'), /CTRL_BREAK could not be sent \(GenerateConsoleCtrlEvent: .*\(Windows error 6\)\)/);
    const after = await helper.info(result.pids);
    assert.deepEqual(after.filter((f) => f.alive).map((f) => f.pid), [], 'no process of the tree lives');
  });
});
