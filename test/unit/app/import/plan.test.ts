// The plan of an import: names made valid, prefixed and unique (by case too), dependencies renamed
// with them (a replicated one spread over its copies); skipped and never overwritten when a name is
// taken; the schema and the real sandbox applied; dependents of a skipped agent skipped with why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentDefinition } from '../../../../shared/agent.js';
import { assignNames, sanitizeName } from '../../../../electron/app/import/names.js';
import { planImport } from '../../../../electron/app/import/plan.js';
import type { ParsedAgent } from '../../../../electron/app/import/types.js';
import { checkSandbox } from '../../../../electron/app/sandbox.js';

const agent = (source: string, extra: Partial<ParsedAgent['definition']> = {}, replicaOf?: string): ParsedAgent => ({
  source,
  definition: { name: source, command: 'node', args: ['x.js'], ...extra },
  notCarried: [],
  ...(replicaOf ? { replicaOf } : {}),
});
const existing = (name: string): AgentDefinition => ({ name, command: 'node', args: [], env: {} });
const noSandbox = { existing: [], sandbox: () => {} };

test('names: invalid characters become "-", Windows device names get a suffix, duplicates by case get -2, the prefix gets a "-"', () => {
  assert.equal(sanitizeName('queue ui'), 'queue-ui');
  assert.equal(sanitizeName('Café Worker!'), 'Cafe-Worker');
  assert.equal(sanitizeName('con'), 'con-agent');
  assert.equal(sanitizeName('...'), 'agent');
  assert.equal(sanitizeName('x'.repeat(80)).length, 64);
  const names = assignNames(['web', 'Web', 'my api', 'my-api'], 'shop');
  assert.deepEqual(names.map((n) => n.name), ['shop-web', 'shop-Web-2', 'shop-my-api', 'shop-my-api-2']);
  assert.match(names[1]!.notes[0]!.reason, /another process of this file is already called "shop-Web" here \(names must differ by more than case\); this one became "shop-Web-2"/);
  assert.match(names[2]!.notes[0]!.reason, /"my api" has characters other than letters, digits.*; it became "my-api"/);
  assert.deepEqual(assignNames(['web'], 'team_').map((n) => n.name), ['team_web'], 'a prefix ending in a separator is kept as it is');
});

test('dependencies follow the names (prefix, sanitizing), and a dependency on a replicated process means each copy', () => {
  const plan = planImport([agent('my api'), agent('w-0', {}, 'w'), agent('w-1', {}, 'w'), agent('ui', { dependsOn: { 'my api': 'healthy', w: 'started' } })], { ...noSandbox, prefix: 'p' });
  const ui = plan.agents.find((a) => a.name === 'p-ui')!;
  assert.deepEqual(ui.definition.dependsOn, { 'p-my-api': 'healthy', 'p-w-0': 'started', 'p-w-1': 'started' });
  assert.equal(ui.status, 'skip', '"healthy" on an agent without a probe is a stack problem');
  assert.match(ui.reason ?? '', /depends on "p-my-api" being healthy, but "p-my-api" has no health probe/);
  assert.deepEqual(plan.create.map((d) => d.name), ['p-my-api', 'p-w-0', 'p-w-1']);
});

test('taken names are skipped (also by case), never overwritten; their dependents are skipped with the reason', () => {
  const plan = planImport([agent('web'), agent('Worker'), agent('ui', { dependsOn: { web: 'started' } }), agent('free')], { existing: [existing('web'), existing('worker')], sandbox: () => {} });
  assert.deepEqual(plan.agents.map((a) => [a.name, a.status]), [['web', 'skip'], ['Worker', 'skip'], ['ui', 'skip'], ['free', 'create']]);
  assert.equal(plan.agents[0]!.reason, 'an agent named "web" already exists and was left as it is; import with a prefix to add this one beside it');
  assert.match(plan.agents[1]!.reason ?? '', /the agent "worker" differs from "Worker" only in case/);
  assert.match(plan.agents[2]!.reason ?? '', /^it depends on "web", which is not imported \(an agent named "web" already exists/);
  assert.deepEqual(plan.create.map((d) => d.name), ['free']);
});

test('the schema and the sandbox decide as for any definition: an empty command, a command outside allowedCommands, a variable that loads code', () => {
  const sandbox = { allowedCommands: ['node'], allowedEnv: [] };
  const ctx = { platform: 'linux' as const, dataDir: '/tmp/data', env: {}, settingsFile: '/tmp/data/settings.json' };
  const plan = planImport([agent('ok'), agent('empty', { command: '' }), agent('shell', { command: 'sh', args: ['-c', 'x'] }), agent('preload', { env: { LD_PRELOAD: '/tmp/x.so' } })], {
    existing: [],
    sandbox: (def) => checkSandbox(def, sandbox, ctx),
  });
  assert.deepEqual(plan.agents.map((a) => [a.name, a.status]), [['ok', 'create'], ['empty', 'skip'], ['shell', 'skip'], ['preload', 'skip']]);
  assert.match(plan.agents[1]!.reason ?? '', /^the definition is not valid here: command: command is empty/);
  assert.match(plan.agents[2]!.reason ?? '', /command "sh" is not one of the allowed commands \(node\) \(sandbox rule sandbox\.allowedCommands\)/);
  assert.match(plan.agents[3]!.reason ?? '', /env sets LD_PRELOAD, which makes a program load code/);
  assert.deepEqual(plan.create.map((d) => d.name), ['ok']);
});
