// The command registry and what reads it: the help text, `help COMMAND`, `COMMAND --help`, the
// completer (commands, options, values, agent names) and the four completion scripts' shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_COMMANDS, findCommand } from '../../../electron/cli/commands.js';
import { usageText } from '../../../electron/cli/help.js';
import { main } from '../../../electron/cli/main.js';
import { complete, positionalIndex, type CompletionSource } from '../../../electron/cli/complete-words.js';
import { completionScript, SHELLS } from '../../../electron/cli/completion.js';

/** Runs main() with collected output. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const source: CompletionSource = { agents: async () => ['web', 'worker', 'model'], groups: async () => ['ui'] };
const values = async (...words: string[]) => {
  const got = await complete(words, source);
  return typeof got === 'string' ? got : got.map((c) => c.value);
};

test('the registry: every command of issue 17 is there, names unique, each loads a handler', async () => {
  const names = CLI_COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of ['run', 'check', 'paths', 'serve', 'status', 'start', 'stop', 'restart', 'kill', 'ensure', 'graph', 'logs', 'add', 'remove', 'edit', 'start-all', 'stop-all', 'restart-all', 'import', 'export', 'secret', 'open', 'completion', 'help']) {
    assert.ok(findCommand(name), name);
  }
  for (const c of CLI_COMMANDS) {
    assert.equal(typeof (await c.load()), 'function', c.name);
    assert.ok(c.usage.every((u) => u.startsWith(c.name)), c.name);
    for (const option of Object.keys(c.optionValues ?? {})) assert.ok(c.options.includes(option), `${c.name}: ${option} is listed in options`);
  }
});

test('help: every visible command in the list; help COMMAND and COMMAND --help show its usage', async () => {
  const text = usageText();
  for (const c of CLI_COMMANDS) assert.equal(text.includes(`\n  ${c.name}`), !c.hidden, c.name);
  assert.match(text, /Exit codes: 0 ok, 1 the action failed \(or no host runs\), 2 usage error/);
  for (const line of text.split('\n')) assert.ok(line.length <= 100, `help line over 100 columns: ${line}`);

  const help = await run('help', 'add');
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: agent-tray add NAME \[--cwd DIR\].* -- COMMAND \[ARGS\.\.\.\]\n\n {2}define a new agent/);
  assert.equal((await run('add', '--help')).out, help.out);
  assert.equal((await run('stop', '-h')).out, (await run('help', 'stop')).out);
  assert.match((await run('help', 'stop')).out, /^Usage: agent-tray stop NAME \[--with-dependents\] \[--data-dir DIR\]\n {7}agent-tray stop --group GROUP/);
  const unknown = await run('help', 'nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no command "nope"; the commands are: run, check, .*open/);
  assert.equal((await run()).out, text);
  const bad = await run('frobnicate');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown command "frobnicate"/);
  const badOption = await run('graph', '--bogus');
  assert.equal(badOption.code, 2);
  assert.match(badOption.err, /Unknown option '--bogus'[\s\S]*Usage: agent-tray graph/);
});

test('completer: command names, then options, option values and agent names', async () => {
  assert.deepEqual(await values('st'), ['status', 'start', 'stop', 'start-all', 'stop-all']);
  assert.ok(!(await values('')).includes('__complete'), 'the hidden helper is not offered');
  assert.deepEqual(await values('start', ''), ['web', 'worker', 'model']);
  assert.deepEqual(await values('start', 'w'), ['web', 'worker']);
  assert.deepEqual(await values('start', 'web', ''), [], 'start takes one NAME');
  assert.deepEqual(await values('run', 'web', ''), ['worker', 'model'], 'run takes several, each once');
  assert.deepEqual(await values('logs', '--str'), ['--stream']);
  assert.deepEqual(await values('logs', 'web', '--stream', ''), ['stdout', 'stderr', 'all']);
  assert.deepEqual(await values('logs', '--stream', 'all', ''), ['web', 'worker', 'model'], 'an option\'s value is no positional');
  assert.deepEqual(await values('stop', '--group', ''), ['ui']);
  assert.deepEqual(await values('add', 'x', '--depends-on', 'm'), ['model']);
  assert.equal(await values('add', 'x', '--cwd', ''), ':dirs');
  assert.equal(await values('add', 'x', '--', 'py'), ':files', 'after --: the agent\'s own command');
  assert.deepEqual(await values('add', ''), [], 'a new name is not completed');
  assert.equal(await values('import', ''), ':files');
  assert.deepEqual(await values('export', '--to', ''), ['process-compose', 'systemd', 'kubernetes']);
  assert.deepEqual(await values('secret', ''), ['set', 'list', 'remove', 'rm']);
  assert.deepEqual(await values('secret', 'set', ''), ['web', 'worker', 'model']);
  assert.deepEqual(await values('completion', 'p'), ['powershell']);
  assert.deepEqual(await values('help', 'ed'), ['edit']);
  assert.deepEqual(await values('nope', ''), []);
  const described = await complete(['sta'], source);
  assert.ok(typeof described !== 'string' && described.every((c) => c.description && c.description.length <= 60), JSON.stringify(described));
});

test('completer: positions skip options and their values', () => {
  const logs = findCommand('logs')!;
  assert.equal(positionalIndex(logs, []), 0);
  assert.equal(positionalIndex(logs, ['-n', '5']), 0);
  assert.equal(positionalIndex(logs, ['--follow', 'web']), 1);
  assert.equal(positionalIndex(logs, ['--stream=all', 'web']), 1);
  assert.equal(positionalIndex(findCommand('add')!, ['x', '--']), null);
});

test('__complete: one candidate a line, descriptions after a tab when asked; --next for an empty last word', async () => {
  const plain = await run('__complete', '--', 'sto');
  assert.deepEqual([plain.code, plain.out], [0, 'stop\nstop-all']);
  const described = await run('__complete', '--describe', '--', 'stop-');
  assert.equal(described.out, 'stop-all\tstop every agent, dependents before their dependencies');
  const next = await run('__complete', '--next', '--', 'completion');
  assert.equal(next.out, 'bash\nzsh\nfish\npowershell');
});

test('completion scripts: every shell has one that hands the words to __complete; PowerShell\'s by structure (pwsh is not installed here)', async () => {
  for (const shell of SHELLS) assert.match(completionScript(shell), /__complete/, shell);
  const ps = completionScript('powershell');
  assert.match(ps, /^Register-ArgumentCompleter -Native -CommandName 'agent-tray', 'agent-tray\.cmd' -ScriptBlock \{$/m);
  assert.match(ps, /param\(\$wordToComplete, \$commandAst, \$cursorPosition\)/);
  assert.match(ps, /& \$program __complete --describe @next -- @rest 2>\$null/);
  assert.match(ps, /\[System\.Management\.Automation\.CompletionResult\]::new\(\$value, \$value, 'ParameterValue', \$description\)/);
  // balanced braces and parentheses, outside strings
  const code = ps.replace(/#.*$/gm, '').replace(/'[^']*'|"[^"]*"/g, '');
  for (const [open, close] of [['{', '}'], ['(', ')'], ['[', ']']] as const) assert.equal(code.split(open).length, code.split(close).length, `${open}${close} balanced`);

  const printed = await run('completion', 'fish');
  assert.equal(printed.code, 0);
  assert.equal(printed.out, completionScript('fish').trimEnd());
  const unknown = await run('completion', 'tcsh');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no completion for "tcsh"; the shells are bash, zsh, fish, powershell/);
});
