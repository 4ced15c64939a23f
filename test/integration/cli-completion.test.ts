// Shell completion through the real shells: the script `agent-tray completion SHELL` prints is
// loaded into bash, zsh and fish, which call the CLI (a wrapper named agent-tray on PATH) for the
// candidates: commands, options, option values and agent names read from agents.json with no host
// running. PowerShell is not installed here: its script is checked by structure in the unit tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import which from 'which';
import { killTracked } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { CLI_ARGV, runProgram } from '../helpers/cli-env.js';

let root = '';
let cleanup = async () => {};
let env: NodeJS.ProcessEnv = {};

before(async () => {
  ({ dir: root, cleanup } = await tempDir());
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  // the CLI as a person has it on PATH (npm link), here run from the sources
  writeFileSync(path.join(bin, 'agent-tray'), `#!/bin/sh\nexec ${CLI_ARGV.map((a) => `'${a}'`).join(' ')} "$@"\n`);
  chmodSync(path.join(bin, 'agent-tray'), 0o755);
  const data = path.join(root, 'data');
  mkdirSync(data);
  writeFileSync(path.join(data, 'agents.json'), JSON.stringify({ agents: [{ name: 'web', command: 'node', groups: ['ui'] }, { name: 'worker', command: 'node', groups: ['jobs', 'ui'] }] }));
  const other = path.join(root, 'other');
  mkdirSync(other);
  writeFileSync(path.join(other, 'agents.json'), '// a comment: agents.json may be JSONC\n{ "agents": [{ "name": "elsewhere", "command": "node" }] }');
  env = { PATH: `${bin}:${process.env.PATH}`, AGENT_TRAY_DATA_DIR: data, HOME: root };
});
after(async () => {
  killTracked();
  await cleanup();
});

/** Runs a bash script with the completion loaded; each `complete WORDS...` line prints the candidates for the last word. */
async function bash(script: string): Promise<string> {
  const prelude = `source <(agent-tray completion bash)\ncomplete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _agent_tray; echo "\${COMPREPLY[*]}"; }\n`;
  const r = await runProgram('bash', ['-c', prelude + script], env);
  assert.equal(r.code, 0, r.all);
  return r.stdout;
}

test('bash: commands, options, option values, agent and group names (no host needed)', async () => {
  const lines = (
    await bash(
      [
        'complete_words agent-tray st',
        "complete_words agent-tray start ''",
        'complete_words agent-tray logs web --st',
        "complete_words agent-tray logs web --stream ''",
        "complete_words agent-tray start --group ''",
        "complete_words agent-tray run web ''",
        "complete_words agent-tray completion ''",
        'complete_words agent-tray help re',
        "complete_words agent-tray export --to ''",
        "complete_words agent-tray start --data-dir '" + path.join(root, 'other') + "' ''",
        'complete_words agent-tray __comp',
        "complete_words agent-tray add web --depends-on ''",
      ].join('\n'),
    )
  ).split('\n');
  assert.deepEqual(lines.slice(0, 12), [
    'status start stop start-all stop-all',
    'web worker',
    '--stream',
    'stdout stderr all',
    'jobs ui',
    'worker',
    'bash zsh fish powershell',
    'restart restart-all remove',
    'process-compose systemd kubernetes',
    'elsewhere',
    '',
    'web worker',
  ]);
});

test('bash: paths where the command takes a file or a folder', async () => {
  mkdirSync(path.join(root, 'proj'), { recursive: true });
  writeFileSync(path.join(root, 'proj', 'Procfile'), 'web: node server.js\n');
  const out = await bash(`cd '${root}/proj'\ncomplete_words agent-tray import Pro\ncomplete_words agent-tray add x -- ./Pro`);
  assert.deepEqual(out.split('\n').slice(0, 2), ['Procfile', './Procfile']);
});

test('bash, zsh and fish accept their scripts (syntax check)', async (t) => {
  const shells: [string, string[], string][] = [
    ['bash', ['-n'], 'bash'],
    ['zsh', ['-n'], 'zsh'],
    ['fish', ['-n'], 'fish'],
  ];
  for (const [shell, flags, name] of shells) {
    if (!(await which(shell, { nothrow: true }))) {
      t.diagnostic(`${shell} is not installed: its completion script is not checked (apt-get install ${shell})`);
      continue;
    }
    const file = path.join(root, `completion.${name}`);
    const script = await runProgram('agent-tray', ['completion', name], env);
    assert.equal(script.code, 0, script.all);
    writeFileSync(file, script.stdout);
    const check = await runProgram(shell, [...flags, file], env);
    assert.equal(check.code, 0, `${shell} -n: ${check.all}`);
  }
});

test('zsh: the completion function offers commands and agent names', async (t) => {
  if (!(await which('zsh', { nothrow: true }))) {
    t.skip('zsh is not installed (apt-get install zsh)');
    return;
  }
  // the completion system's functions stand in as printers; compdef registers nothing outside an interactive shell
  const script = [
    'compdef() { :; }',
    '_describe() { print -rl -- "${(@P)${@[-1]}}"; }',
    '_files() { print -r -- "FILES $*"; }',
    'source <(agent-tray completion zsh)',
    'words=(agent-tray sta); CURRENT=2; _agent_tray; print -- ---',
    "words=(agent-tray logs ''); CURRENT=3; _agent_tray; print -- ---",
    "words=(agent-tray import ''); CURRENT=3; _agent_tray",
  ].join('\n');
  const r = await runProgram('zsh', ['-f', '-c', script], env);
  assert.equal(r.code, 0, r.all);
  const [commands, agents, files] = r.stdout.split('---\n');
  assert.match(commands ?? '', /^status:every agent/m);
  assert.match(commands ?? '', /^start:start an agent/m);
  assert.match(commands ?? '', /^start-all:start every agent/m);
  assert.equal(agents, 'web\nworker\n');
  assert.equal(files, 'FILES \n');
});

test('fish: complete -C gives commands with descriptions and agent names', async (t) => {
  if (!(await which('fish', { nothrow: true }))) {
    t.skip('fish is not installed (apt-get install fish)');
    return;
  }
  const r = await runProgram('fish', ['--no-config', '-c', "agent-tray completion fish | source; complete -C 'agent-tray sto'; echo ---; complete -C 'agent-tray restart '"], env);
  assert.equal(r.code, 0, r.all);
  const [commands, agents] = r.stdout.split('---\n');
  assert.deepEqual(
    (commands ?? '').trim().split('\n').map((l) => l.split('\t')[0]),
    ['stop', 'stop-all'],
  );
  assert.match(commands ?? '', /^stop\tstop an agent and every process it started/m);
  assert.equal(agents, 'web\nworker\n');
});
