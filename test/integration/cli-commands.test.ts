// The commands of a complete command line, each through the CLI as a child process against a real
// `agent-tray serve`: add, remove, edit (with a real editor: sed, true, false), start-all,
// stop-all, restart-all, open, status --wide and its cut errors on a real terminal (script(1)),
// and logs with and without colour codes.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { AgentDefinitionSchema } from '../../shared/agent.js';
import type { AgentStatus } from '../../shared/status.js';
import { readToken } from '../../electron/server/api-token.js';
import { readLiveLock } from '../../electron/server/host-lock.js';
import { connect } from '../../electron/cli/client.js';
import { editInEditor } from '../../electron/cli/edit.js';
import { alive, fixture, track, agentPidsOf } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';
import { startCli } from '../helpers/cli-process.js';
import { CLI_ARGV, cliWithEnv, runProgram } from '../helpers/cli-env.js';
import { testDataDirs } from '../helpers/data-dirs.js';
import { tempDir } from '../helpers/temp-dir.js';

const dirs = testDataDirs({ endAgentsOfDirs: true });
const { dataDir } = dirs;
afterEach(() => dirs.afterEach());

const node = process.execPath;
const good = (name: string, extra: object = {}) => ({ name, command: node, args: [fixture('well-behaved.mjs')], ...extra });
const missing = { name: 'missing', command: 'agent-tray-no-such-program' };

/** Starts `agent-tray serve` on a free port for `dir`; resolves once it listens. */
async function serve(dir: string): Promise<{ pid: number; url: string }> {
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  const m = await host.waitForLine(/Agent Tray listening on (http:\/\/\S+)/, 20_000);
  return { pid: host.pid, url: m[1]! };
}

async function apiStatus(dir: string, name: string): Promise<AgentStatus> {
  const lock = await readLiveLock(dir);
  const token = await readToken(dir);
  const res = await fetch(new URL(`/api/agents/${name}`, lock!.url!), { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as AgentStatus;
}

/** The agents as saved in agents.json. */
function saved(dir: string): Record<string, unknown>[] {
  return (JSON.parse(readFileSync(path.join(dir, 'agents.json'), 'utf8')) as { agents: Record<string, unknown>[] }).agents;
}

/** `agent-tray COMMAND --data-dir DIR ARGS` with `env` (the data directory before any `--`). */
function cli(dir: string, [command, ...args]: string[], env: NodeJS.ProcessEnv = {}) {
  return cliWithEnv([command!, '--data-dir', dir, ...args], env);
}

test('add: the definition from the options reaches agents.json through the host; the host\'s refusals in its words', async (t) => {
  const dir = await dataDir([]);
  const { dir: work, cleanup } = await tempDir();
  dirs.cleanups.push(cleanup);
  await serve(dir);

  const add = await cli(dir, ['add', 'web', '--cwd', work, '--port', '8123', '--env', 'MODEL=llama3', '--env', 'URL=http://x/?a=b', '--group', 'ui', '--group', 'web', '--description', 'the web UI', '--', node, fixture('well-behaved.mjs'), '--verbose']);
  assert.equal(add.code, 0, add.all);
  assert.equal(add.stdout, 'web: added (stopped); start it with: agent-tray start web\n');
  assert.deepEqual(saved(dir).find((a) => a.name === 'web'), {
    name: 'web',
    description: 'the web UI',
    command: node,
    args: [fixture('well-behaved.mjs'), '--verbose'],
    cwd: work,
    env: { MODEL: 'llama3', URL: 'http://x/?a=b' },
    port: 8123,
    groups: ['ui', 'web'],
  });

  const dependent = await cli(dir, ['add', 'client', '--depends-on', 'web=started', '--', node, fixture('well-behaved.mjs')]);
  assert.equal(dependent.code, 0, dependent.all);
  assert.deepEqual(saved(dir).find((a) => a.name === 'client')?.dependsOn, { web: 'started' });
  assert.equal(saved(dir).find((a) => a.name === 'client')?.cwd, process.cwd(), 'no --cwd: the directory the command was given in');

  // the agent added runs
  const start = await cli(dir, ['start', 'web']);
  assert.equal(start.code, 0, start.all);
  const pid = Number(/pid (\d+)/.exec(start.stdout)?.[1]);
  track(pid);
  assert.ok(alive(pid), start.all);

  const twice = await cli(dir, ['add', 'web', '--', node]);
  assert.equal(twice.code, 1, twice.all);
  assert.match(twice.stderr, /^agent-tray: .*"web".*already/m);
  const badName = await cli(dir, ['add', 'bad/name', '--', node]);
  assert.equal(badName.code, 1, badName.all);
  assert.match(badName.stderr, /bad\/name.*has characters other than/);
  const noCommand = await cli(dir, ['add', 'x']);
  assert.equal(noCommand.code, 2, noCommand.all);
  assert.match(noCommand.stderr, /missing the COMMAND to run; put it after "--"/);
  const badEnv = await cli(dir, ['add', 'x', '--env', 'NOVALUE', '--', node]);
  assert.equal(badEnv.code, 2, badEnv.all);
  assert.match(badEnv.stderr, /--env "NOVALUE" is not KEY=VALUE/);
  const badCondition = await cli(dir, ['add', 'x', '--depends-on', 'web=up', '--', node]);
  assert.equal(badCondition.code, 2, badCondition.all);
  assert.match(badCondition.stderr, /"up" is not a condition; use one of started, healthy, ready, completed/);

  // --env-file maps to the definition's envFile, relative to the agent's cwd when inside it
  writeFileSync(path.join(work, '.env'), 'MODEL=from-file\n');
  const withEnvFile = await cli(dir, ['add', 'envy', '--cwd', work, '--env-file', path.join(work, '.env'), '--', node, fixture('print-env.mjs'), 'MODEL']);
  if ('envFile' in AgentDefinitionSchema.shape) {
    assert.equal(withEnvFile.code, 0, withEnvFile.all);
    assert.equal(saved(dir).find((a) => a.name === 'envy')?.envFile, '.env');
    const envy = await cli(dir, ['start', 'envy']);
    track(...agentPidsOf(dir));
    assert.equal(envy.code, 0, envy.all);
    let logs = '';
    await waitFor(async () => (logs = (await cli(dir, ['logs', 'envy'])).stdout).includes('printed pid='), 10_000, 'envy to print its variables');
    assert.match(logs, /^MODEL="from-file"$/m, 'the agent got the variable from the env file');
  } else {
    t.diagnostic('the agent schema has no envFile field yet: --env-file is sent, and the host refuses it by name');
    assert.equal(withEnvFile.code, 1, withEnvFile.all);
    assert.match(withEnvFile.stderr, /envFile/);
  }
});

test('remove: refused while it runs (naming --stop), --stop stops the whole agent and removes it', async () => {
  const dir = await dataDir([good('good'), good('idle')]);
  await serve(dir);
  const start = await cli(dir, ['start', 'good']);
  const pid = Number(/pid (\d+)/.exec(start.stdout)?.[1]);
  track(pid);

  const refused = await cli(dir, ['remove', 'good']);
  assert.equal(refused.code, 1, refused.all);
  assert.equal(refused.stderr, 'agent-tray: Agent "good" is running; it was not removed. Stop it first (agent-tray stop good), or stop and remove it with: agent-tray remove good --stop\n');
  assert.ok(alive(pid));

  const removed = await cli(dir, ['remove', 'good', '--stop']);
  assert.equal(removed.code, 0, removed.all);
  assert.match(removed.stdout, /^good: stopped in \d+ ms \(graceful\)\ngood: removed from agents\.json/);
  assert.equal(alive(pid), false);
  assert.deepEqual(saved(dir).map((a) => a.name), ['idle']);

  const idle = await cli(dir, ['remove', 'idle']);
  assert.equal(idle.code, 0, idle.all);
  assert.deepEqual(saved(dir), []);
  const unknown = await cli(dir, ['remove', 'nope']);
  assert.equal(unknown.code, 1, unknown.all);
  assert.match(unknown.stderr, /No agent named "nope"/);
});

test('edit: $EDITOR changes the definition and the host saves it; no change; a failing editor; a refused edit kept for --from', async () => {
  const dir = await dataDir([good('web', { port: 8123 })]);
  await serve(dir);

  const edited = await cli(dir, ['edit', 'web'], { VISUAL: '', EDITOR: 'sed -i s/8123/8124/' });
  assert.equal(edited.code, 0, edited.all);
  assert.equal(edited.stdout, 'web: saved\n');
  assert.equal(saved(dir)[0]?.port, 8124);

  const untouched = await cli(dir, ['edit', 'web'], { VISUAL: 'true', EDITOR: 'false' });
  assert.deepEqual([untouched.code, untouched.stdout], [0, 'web: no change\n'], 'VISUAL wins over EDITOR');

  const failing = await cli(dir, ['edit', 'web'], { VISUAL: '', EDITOR: 'false' });
  assert.equal(failing.code, 1, failing.all);
  assert.match(failing.stderr, /web was not changed: the editor "false" exited with code 1/);

  // a port out of range: the host's reason, and the file kept (no terminal to ask on)
  const refused = await cli(dir, ['edit', 'web'], { VISUAL: '', EDITOR: 'sed -i s/8124/99999/' });
  assert.equal(refused.code, 1, refused.all);
  assert.match(refused.stderr, /web was not saved: .*port/);
  const kept = /Your edit is kept in (\S+); fix it and save it with: agent-tray edit web --from \1\n/.exec(refused.stderr)?.[1];
  assert.ok(kept && existsSync(kept), refused.stderr);
  assert.equal(saved(dir)[0]?.port, 8124, 'nothing saved');
  writeFileSync(kept, readFileSync(kept, 'utf8').replace('99999', '8125'));
  const fromFile = await cli(dir, ['edit', 'web', '--from', kept]);
  assert.equal(fromFile.code, 0, fromFile.all);
  assert.equal(saved(dir)[0]?.port, 8125);

  const broken = await cli(dir, ['edit', 'web'], { VISUAL: '', EDITOR: 'sed -i s/{/[/' });
  assert.equal(broken.code, 1, broken.all);
  assert.match(broken.stderr, /web was not saved: it is not valid JSON/);
});

test('edit on a terminal: a refused edit is shown and the editor opens again until it is valid', async () => {
  const dir = await dataDir([good('web', { port: 8123 })]);
  await serve(dir);
  const { dir: work, cleanup } = await tempDir();
  dirs.cleanups.push(cleanup);
  // an editor that writes a bad port the first time and a good one the second
  const editor = path.join(work, 'editor.sh');
  writeFileSync(editor, `#!/bin/sh\nif [ -e "${work}/once" ]; then sed -i s/99999/8126/ "$1"; else touch "${work}/once"; sed -i s/8123/99999/ "$1"; fi\n`);
  chmodSync(editor, 0o755);
  const questions: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const conn = await connect(dir);
  const code = await editInEditor(conn, 'web', { editor, runEditor: (e, f) => runProgram('/bin/sh', ['-c', `${e} "$1"`, e, f]).then((r) => r.code ?? 1), ask: async (q) => (questions.push(q), true) }, (l) => out.push(l), (l) => err.push(l));
  assert.equal(code, 0, err.join('\n'));
  assert.deepEqual(questions, ['Edit it again? [Y/n] ']);
  assert.match(err[0] ?? '', /web was not saved: .*port/);
  assert.deepEqual(out, ['web: saved']);
  assert.equal(saved(dir)[0]?.port, 8126);
});

test('start-all, restart-all, stop-all: a line per agent, exit code 1 naming the agent that failed and why', async () => {
  const dir = await dataDir([good('one'), good('two', { dependsOn: { one: 'started' } }), missing, good('idle')]);
  await serve(dir);

  const startAll = await cli(dir, ['start-all']);
  track(...agentPidsOf(dir));
  assert.equal(startAll.code, 1, startAll.all);
  const started = new Map([...startAll.stdout.matchAll(/^(\w+): running \(pid (\d+)\)$/gm)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual([...started.keys()].sort(), ['idle', 'one', 'two'], startAll.all);
  assert.match(startAll.stderr, /^missing: .*agent-tray-no-such-program/m);
  assert.match(startAll.stderr, /^agent-tray: 1 of 4 agents did not start: missing \(the reasons are above/m);

  const stopIdle = await cli(dir, ['stop', 'idle']);
  assert.equal(stopIdle.code, 0, stopIdle.all);
  const restartAll = await cli(dir, ['restart-all']);
  track(...agentPidsOf(dir));
  assert.equal(restartAll.code, 0, restartAll.all);
  const lines = restartAll.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^one: running \(pid \d+\)$/, 'a dependency restarts before its dependent');
  assert.match(lines[1] ?? '', /^two: running \(pid \d+\)$/);
  assert.deepEqual(lines.slice(2).sort(), ['idle: stopped, not restarted (it was not running)', 'missing: errored, not restarted (it was not running)']);
  for (const name of ['one', 'two']) {
    const before = started.get(name)!;
    assert.equal(alive(before), false, `${name}'s first process ended`);
    assert.notEqual(Number(new RegExp(`^${name}: running \\(pid (\\d+)\\)$`, 'm').exec(restartAll.stdout)?.[1]), before);
  }

  const stopAll = await cli(dir, ['stop-all']);
  assert.equal(stopAll.code, 0, stopAll.all);
  assert.deepEqual(stopAll.stdout.trim().split('\n').sort(), ['idle: stopped', 'missing: stopped', 'one: stopped', 'two: stopped'].sort());
  for (const pid of agentPidsOf(dir)) assert.equal(alive(pid), false);
  const extra = await cli(dir, ['stop-all', 'one']);
  assert.equal(extra.code, 2, extra.all);
});

test('open: --print gives the window\'s address with its token (and the agent\'s page); without it the browser gets that address', async () => {
  const dir = await dataDir([good('web')]);
  await serve(dir);
  const lock = await readLiveLock(dir);
  const token = await readToken(dir);
  const base = new URL('/', lock!.url!);

  const printed = await cli(dir, ['open', '--print']);
  assert.equal(printed.code, 0, printed.all);
  assert.equal(printed.stdout, `${base.href}?token=${token}\n`);
  const page = await fetch(printed.stdout.trim());
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/i);
  const agent = await cli(dir, ['open', 'web', '--print']);
  assert.equal(agent.stdout, `${base.href}?token=${token}#/agents/web\n`);
  const unknown = await cli(dir, ['open', 'nope', '--print']);
  assert.equal(unknown.code, 1, unknown.all);
  assert.match(unknown.stderr, /No agent named "nope"/);

  // the platform's opener (xdg-open here) found on PATH, and $BROWSER when set
  const { dir: bin, cleanup } = await tempDir();
  dirs.cleanups.push(cleanup);
  for (const name of ['xdg-open', 'my-browser']) {
    writeFileSync(path.join(bin, name), `#!/bin/sh\necho "$@" > "${bin}/${name}.url"\n`);
    chmodSync(path.join(bin, name), 0o755);
  }
  // xdg-open on a machine without a desktop ends at once with an error
  writeFileSync(path.join(bin, 'no-desktop'), '#!/bin/sh\necho "xdg-open: no method available for opening" >&2\nexit 3\n');
  chmodSync(path.join(bin, 'no-desktop'), 0o755);
  const opened = await cli(dir, ['open', 'web'], { PATH: `${bin}:${process.env.PATH}`, BROWSER: '' });
  assert.equal(opened.code, 0, opened.all);
  assert.match(opened.stdout, /^Opened web in the Agent Tray window in the browser/);
  await waitFor(() => existsSync(`${bin}/xdg-open.url`) && readFileSync(`${bin}/xdg-open.url`, 'utf8').length > 0, 5_000, 'xdg-open to be called');
  assert.equal(readFileSync(`${bin}/xdg-open.url`, 'utf8').trim(), `${base.href}?token=${token}#/agents/web`);
  const browser = await cli(dir, ['open'], { BROWSER: path.join(bin, 'my-browser') });
  assert.equal(browser.code, 0, browser.all);
  await waitFor(() => existsSync(`${bin}/my-browser.url`) && readFileSync(`${bin}/my-browser.url`, 'utf8').length > 0, 5_000, '$BROWSER to be called');
  assert.equal(readFileSync(`${bin}/my-browser.url`, 'utf8').trim(), `${base.href}?token=${token}`);
  const none = await cli(dir, ['open'], { BROWSER: path.join(bin, 'no-such-browser') });
  assert.equal(none.code, 1, none.all);
  assert.match(none.stderr, /Could not open a browser: .*no-such-browser was not found\. Open this address yourself: http/);
  const failing = await cli(dir, ['open', 'web'], { BROWSER: path.join(bin, 'no-desktop') });
  assert.equal(failing.code, 1, failing.all);
  assert.ok(failing.stderr.includes(`no-desktop ended with exit code 3 (no desktop session?). Open this address yourself: ${base.href}?token=${token}#/agents/web`), failing.stderr);
});

test('status: an error cut to the terminal\'s width says where to read it whole; --wide and a pipe show it whole', async () => {
  const long = `${'E'.repeat(300)} THE END`;
  const dir = await dataDir([{ name: 'long', command: node, args: ['-e', `console.error(${JSON.stringify(long)}); process.exit(3)`], restart: { policy: 'no' } }]);
  await serve(dir);
  await cli(dir, ['start', 'long']);
  track(...agentPidsOf(dir));
  await waitFor(async () => (await apiStatus(dir, 'long')).state === 'crashed', 10_000, 'the agent to crash');

  const piped = await cli(dir, ['status']);
  assert.equal(piped.code, 0, piped.all);
  assert.match(piped.stdout, /THE END$/m, 'no terminal: nothing to cut to');
  const wide = await cli(dir, ['status', '--wide']);
  assert.match(wide.stdout, /THE END$/m);

  // a real terminal 100 columns wide
  const cmd = `stty cols 100; ${CLI_ARGV.map((a) => `'${a}'`).join(' ')} status --data-dir '${dir}'`;
  const tty = await runProgram('script', ['-qec', cmd, '/dev/null']);
  assert.equal(tty.code, 0, tty.all);
  const lines = tty.stdout.split(/\r?\n/);
  assert.ok(lines.some((l) => /^long +crashed +- +- +-$/.test(l)), tty.all);
  const at = lines.findIndex((l) => l.startsWith('long: '));
  assert.ok(at !== -1, tty.all);
  const below = lines.slice(at, at + 2);
  assert.ok(below[0]!.startsWith('long: exited with code 3'), below.join('\n'));
  assert.ok(below[1]!.endsWith('… (agent-tray status --wide, or agent-tray logs long)'), below.join('\n'));
  assert.ok(!tty.stdout.includes('THE END'), tty.all);
  assert.ok(lines.every((l) => l.length <= 100), tty.all);
  const ttyWide = await runProgram('script', ['-qec', `${cmd} --wide`, '/dev/null']);
  assert.match(ttyWide.stdout, /THE END/);
});

test('logs: colour codes stripped when not writing to a terminal; --color keeps them, --no-color strips them', async () => {
  const dir = await dataDir([{ name: 'colour', command: node, args: ['-e', 'console.log("\\u001b[31mred\\u001b[0m plain")'], restart: { policy: 'no' } }]);
  await serve(dir);
  await cli(dir, ['start', 'colour']);
  track(...agentPidsOf(dir));
  await waitFor(async () => (await apiStatus(dir, 'colour')).state === 'stopped', 10_000, 'the agent to exit');

  const piped = await cli(dir, ['logs', 'colour']);
  assert.equal(piped.code, 0, piped.all);
  assert.equal(piped.stdout, 'red plain\n');
  const forced = await cli(dir, ['logs', 'colour', '--color']);
  assert.equal(forced.stdout, '\u001b[31mred\u001b[0m plain\n');
  const last = await cli(dir, ['logs', 'colour', '--color', '--no-color']);
  assert.equal(last.stdout, 'red plain\n', 'the last of --color and --no-color wins');
  const tty = await runProgram('script', ['-qec', `${CLI_ARGV.map((a) => `'${a}'`).join(' ')} logs colour --data-dir '${dir}'`, '/dev/null']);
  assert.ok(tty.stdout.includes('\u001b[31mred\u001b[0m plain'), `a terminal gets the colours: ${JSON.stringify(tty.stdout)}`);
});
