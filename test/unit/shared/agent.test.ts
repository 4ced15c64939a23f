// Unit tests for the agent contract: agentNameProblem, AgentDefinitionSchema and AgentsFileSchema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_NAME_MAX_LENGTH, AgentDefinitionSchema, AgentsFileSchema, agentNameProblem } from '../../../shared/agent.js';
import { formatIssues } from '../../../shared/issues.js';

/** The formatted issues of a failed parse (fails the test when the parse succeeds). */
function problems(schema: typeof AgentDefinitionSchema | typeof AgentsFileSchema, input: unknown): string[] {
  const result = schema.safeParse(input);
  assert.equal(result.success, false, `expected ${JSON.stringify(input)} to be refused`);
  return result.success ? [] : formatIssues(result.error);
}

test('agentNameProblem accepts letters, digits, "-", "_", "." up to 64 characters', () => {
  assert.equal(AGENT_NAME_MAX_LENGTH, 64);
  for (const name of ['researcher', 'a-b_c.d', 'Model2', 'x', 'a'.repeat(64), '.hidden']) {
    assert.equal(agentNameProblem(name), null, name);
  }
});

test('agentNameProblem refuses an empty name with an example of a good one', () => {
  assert.match(agentNameProblem('') ?? '', /empty.*"researcher"/);
});

test('agentNameProblem refuses 65 characters and says the limit', () => {
  const problem = agentNameProblem('a'.repeat(65)) ?? '';
  assert.match(problem, /65 characters/);
  assert.match(problem, /at most 64/);
});

test('agentNameProblem refuses separators, spaces and non-ASCII letters, naming the allowed characters', () => {
  for (const name of ['../x', 'a/b', 'a\\b', 'my agent', ' a', 'a\t', 'résumé', 'агент', '代理', 'a:b', 'a*b']) {
    const problem = agentNameProblem(name);
    assert.ok(problem, `${JSON.stringify(name)} should be refused`);
    assert.ok(problem.includes(`"${name}"`), `the message quotes the name: ${problem}`);
    assert.match(problem, /letters, digits, "-", "_" and "\."/);
  }
});

test('agentNameProblem refuses names that are only dots or end with a dot', () => {
  for (const name of ['.', '..', '...', 'name.']) {
    assert.match(agentNameProblem(name) ?? '', /only dots or ends with a dot/, name);
  }
});

test('agentNameProblem refuses Windows device names in any case, also with an extension', () => {
  for (const name of ['CON', 'con', 'con.txt', 'PRN', 'aux', 'NUL.log', 'COM1', 'LPT1', 'lpt9.x']) {
    assert.match(agentNameProblem(name) ?? '', /reserved device name on Windows/, name);
  }
  for (const name of ['console', 'contoso', 'com10', 'lpt', 'nully']) {
    assert.equal(agentNameProblem(name), null, name);
  }
});

test('AgentDefinitionSchema fills in args [] and env {} and keeps what was given', () => {
  assert.deepEqual(AgentDefinitionSchema.parse({ name: 'a', command: 'python3' }), { name: 'a', command: 'python3', args: [], env: {} });
  const full = {
    name: 'ollama',
    command: 'ollama',
    args: ['serve'],
    env: { OLLAMA_HOST: '127.0.0.1:11434' },
    cwd: 'models',
    port: 11434,
    stop: { signal: 'SIGINT', timeoutMs: 0, insistMs: 600_000, command: ['ollama', 'stop'], stdin: 'quit' },
    discover: { script: 'ollama serve' },
  };
  assert.deepEqual(AgentDefinitionSchema.parse(full), full);
});

test('AgentDefinitionSchema refuses an invalid name with the name problem', () => {
  assert.deepEqual(problems(AgentDefinitionSchema, { name: '../x', command: 'x' }), [
    `name: ${agentNameProblem('../x')}`,
  ]);
});

test('AgentDefinitionSchema refuses an unknown key and names it', () => {
  const lines = problems(AgentDefinitionSchema, { name: 'a', comand: 'python3' });
  assert.ok(lines.some((l) => l.includes('"comand"')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('command:')), 'the missing command is reported too');
});

test('AgentDefinitionSchema refuses an empty command with an example', () => {
  assert.deepEqual(problems(AgentDefinitionSchema, { name: 'a', command: '' }), [
    'command: command is empty; name the program to run, e.g. "python3"',
  ]);
});

test('AgentDefinitionSchema accepts ports 1..65535 only, as integers', () => {
  for (const port of [1, 8080, 65_535]) assert.equal(AgentDefinitionSchema.parse({ name: 'a', command: 'x', port }).port, port);
  for (const port of [0, -1, 65_536, 80.5]) {
    const lines = problems(AgentDefinitionSchema, { name: 'a', command: 'x', port });
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^port: /);
  }
});

test('AgentDefinitionSchema refuses a NUL byte in the command, an argument or a stop command', () => {
  assert.match(problems(AgentDefinitionSchema, { name: 'a', command: 'x\0' }).join(), /^command: .*NUL byte/);
  assert.match(problems(AgentDefinitionSchema, { name: 'a', command: 'x', args: ['ok', 'a\0b'] }).join(), /^args\[1\]: .*NUL byte/);
  assert.match(problems(AgentDefinitionSchema, { name: 'a', command: 'x', stop: { command: ['kill\0'] } }).join(), /^stop\.command\[0\]: .*NUL byte/);
});

test('AgentDefinitionSchema checks the stop settings', () => {
  const lines = problems(AgentDefinitionSchema, {
    name: 'a',
    command: 'x',
    stop: { signal: 'SIGKILL', timeoutMs: -1, insistMs: 600_001, command: [], grace: 5 },
  });
  assert.equal(lines.length, 5, lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('stop.signal:') && l.includes('SIGTERM')), 'lists the allowed signals');
  assert.ok(lines.some((l) => l.startsWith('stop.timeoutMs:')));
  assert.ok(lines.some((l) => l.startsWith('stop.insistMs:')));
  assert.ok(lines.some((l) => l.startsWith('stop.command:')));
  assert.ok(lines.some((l) => l.startsWith('stop:') && l.includes('"grace"')));
});

test('AgentsFileSchema defaults to no agents and refuses unknown top-level keys', () => {
  assert.deepEqual(AgentsFileSchema.parse({}), { agents: [] });
  assert.deepEqual(AgentsFileSchema.parse({ $schema: './agents.schema.json' }), { $schema: './agents.schema.json', agents: [] });
  assert.ok(problems(AgentsFileSchema, { agent: [] }).some((l) => l.includes('"agent"')));
});

test('AgentsFileSchema refuses a duplicate name, naming both places', () => {
  const lines = problems(AgentsFileSchema, {
    agents: [
      { name: 'a', command: 'x' },
      { name: 'b', command: 'x' },
      { name: 'a', command: 'y' },
    ],
  });
  assert.deepEqual(lines, ['agents[2].name: the name "a" is already used by agents[0]; names must be unique']);
  assert.equal(AgentsFileSchema.parse({ agents: [{ name: 'a', command: 'x' }, { name: 'A', command: 'x' }] }).agents.length, 2);
});

test('AgentDefinitionSchema refuses an env name with "=", naming the variable as written', () => {
  const lines = problems(AgentDefinitionSchema, { name: 'a', command: 'x', env: { 'NODE_OPTIONS=--require evil.js --title': 'x', LOG: 'info' } });
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0] ?? '', /^env\."NODE_OPTIONS=--require evil\.js --title": the variable name contains "="/);
});

test('AgentDefinitionSchema refuses an empty env name and NUL bytes in env names, env values and cwd', () => {
  assert.match(problems(AgentDefinitionSchema, { name: 'a', command: 'x', env: { '': 'x' } }).join(), /^env\."": the variable name is empty/);
  assert.match(problems(AgentDefinitionSchema, { name: 'a', command: 'x', env: { 'A\0B': 'x' } }).join(), /^env\."A\\u0000B": the variable name contains a NUL byte/);
  assert.match(problems(AgentDefinitionSchema, { name: 'a', command: 'x', env: { A: 'x\0y' } }).join(), /^env\.A: .*NUL byte/);
  assert.match(problems(AgentDefinitionSchema, { name: 'a', command: 'x', cwd: '/tmp/a\0b' }).join(), /^cwd: .*NUL byte/);
  assert.deepEqual(AgentDefinitionSchema.parse({ name: 'a', command: 'x', env: { 'PROGRAMFILES(X86)': 'C:\\P', http_proxy: '', HTTP_PROXY: '' } }).env, { 'PROGRAMFILES(X86)': 'C:\\P', http_proxy: '', HTTP_PROXY: '' });
});
