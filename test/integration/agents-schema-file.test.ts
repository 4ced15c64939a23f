// agents.schema.json in the data directory: a host that opens writes it beside agents.json (so the
// `"$schema": "./agents.schema.json"` line of the docs works in an editor), it is a valid JSON
// Schema that accepts the docs' example files, an agents.json carrying the `$schema` key loads,
// a new agents.json the host writes carries the link, and the file is rewritten only when it changed.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { AgentTrayApp } from '../../electron/app/application.js';
import { SettingsSchema } from '../../shared/settings.js';
import type { Cleanups } from '../helpers/engine.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const examples = new URL('../../docs/examples/', import.meta.url).pathname;

/** A fresh data directory, removed after the test. */
async function dataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-schema-');
  cleanups.push(cleanup);
  return dir;
}

/** Opens the application over `dir` (closed after the test). */
async function openApp(dir: string): Promise<AgentTrayApp> {
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
  cleanups.push(() => app.close());
  return app;
}

/** The schema file a host wrote into `dir`, compiled by Ajv (draft 2020-12, strict mode). */
function compiledSchema(dir: string) {
  const text = readFileSync(path.join(dir, 'agents.schema.json'), 'utf8');
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat('uri', (value: string) => URL.canParse(value)); // the one format the schema uses (health.http.url)
  return ajv.compile(JSON.parse(text) as object);
}

test('opening a host writes agents.schema.json beside agents.json: a valid JSON Schema that accepts the docs examples and refuses a typo', async () => {
  const dir = await dataDir();
  copyFileSync(path.join(examples, 'agents.json'), path.join(dir, 'agents.json'));
  const app = await openApp(dir);
  // the example carries "$schema": "./agents.schema.json" and loads
  assert.deepEqual(app.store.list().map((a) => a.name), ['researcher', 'ollama']);
  assert.equal(app.store.config.status().ok, true);

  const validate = compiledSchema(dir);
  for (const example of ['agents.json', 'stack.agents.json']) {
    const doc = JSON.parse(readFileSync(path.join(examples, example), 'utf8')) as unknown;
    assert.ok(validate(doc), `docs/examples/${example} is valid: ${JSON.stringify(validate.errors)}`);
  }
  const typo = { $schema: './agents.schema.json', agents: [{ name: 'web', command: 'node', prot: 8080 }] };
  assert.equal(validate(typo), false, 'an unknown field is refused, as the host refuses it');
  if (process.platform !== 'win32') assert.equal(statSync(path.join(dir, 'agents.schema.json')).mode & 0o777, 0o600);
});

test('the settings example of the docs is valid settings.json', () => {
  const doc = JSON.parse(readFileSync(path.join(examples, 'settings.json'), 'utf8')) as unknown;
  const result = SettingsSchema.safeParse(doc);
  assert.ok(result.success, result.success ? '' : result.error.message);
});

test('the stack example of the docs loads in a host', async () => {
  const dir = await dataDir();
  copyFileSync(path.join(examples, 'stack.agents.json'), path.join(dir, 'agents.json'));
  const app = await openApp(dir);
  assert.deepEqual(app.store.list().map((a) => a.name), ['ollama', 'mcp-search', 'agent-server']);
});

test('an agents.json the host creates starts with the $schema link, and it validates against the schema', async () => {
  const dir = await dataDir();
  const app = await openApp(dir);
  await app.dispatch('createAgent', { definition: { name: 'web', command: 'node', args: ['server.js'] } });
  const text = readFileSync(path.join(dir, 'agents.json'), 'utf8');
  const saved = JSON.parse(text) as Record<string, unknown>;
  assert.equal(Object.keys(saved)[0], '$schema', 'the link comes first, where an editor looks');
  assert.equal(saved.$schema, './agents.schema.json');
  const validate = compiledSchema(dir);
  assert.ok(validate(saved), JSON.stringify(validate.errors));
});

test('an existing agents.json without $schema is left without it (a save changes only what was asked)', async () => {
  const dir = await dataDir();
  const file = path.join(dir, 'agents.json');
  copyFileSync(path.join(examples, 'agents.json'), file);
  const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete before.$schema;
  writeFileSync(file, JSON.stringify(before));
  const app = await openApp(dir);
  await app.dispatch('createAgent', { definition: { name: 'web', command: 'node' } });
  const after = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.equal('$schema' in after, false);
  assert.deepEqual((after.agents as { name: string }[]).map((a) => a.name), ['researcher', 'ollama', 'web']);
});

test('the schema file is rewritten only when its text changed', async () => {
  const dir = await dataDir();
  const file = path.join(dir, 'agents.schema.json');
  const first = await openApp(dir);
  await first.close();
  const written = statSync(file);
  const second = await openApp(dir);
  await second.close();
  const again = statSync(file);
  // an atomic write renames a new file over the old one: same inode and mtime means it was not written
  assert.equal(again.ino, written.ino, 'an unchanged schema is not written again');
  assert.equal(again.mtimeMs, written.mtimeMs);

  const current = readFileSync(file, 'utf8');
  writeFileSync(file, '{"stale": true}\n');
  await openApp(dir);
  assert.equal(readFileSync(file, 'utf8'), current, 'a stale schema (an older version) is replaced');
});

test('a schema file that cannot be written does not stop the host: a disk alert names it', async () => {
  const dir = await dataDir();
  mkdirSync(path.join(dir, 'agents.schema.json')); // a folder where the file goes: every write fails
  const app = await openApp(dir);
  const { alerts } = await app.dispatch('listAlerts', {});
  const disk = alerts.find((a) => a.kind === 'disk');
  assert.ok(disk, `a disk alert (alerts: ${JSON.stringify(alerts)})`);
  assert.match(disk.message, /agents\.schema\.json/);
  await app.dispatch('createAgent', { definition: { name: 'web', command: 'node' } });
  assert.deepEqual(app.store.list().map((a) => a.name), ['web']);
});
