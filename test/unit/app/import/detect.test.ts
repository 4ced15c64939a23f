// Which tool a file belongs to: by its usual name first, by its content when the name is not one;
// Docker Compose files and files of no supported format are refused with what can be imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat } from '../../../../electron/app/import/detect.js';
import { AgentTrayError } from '../../../../electron/core/errors.js';
import { fixtureText } from './helpers.js';

const kind = (name: string, content: string) => detectFormat(name, content).kind;

test('by name: Procfile and Procfile.dev, process-compose.yaml, ecosystem files of each kind; a path is fine', () => {
  assert.equal(kind('Procfile', fixtureText('Procfile')), 'procfile');
  assert.equal(kind('/srv/app/Procfile.dev', 'web: node x.js'), 'procfile');
  assert.equal(kind('process-compose.yaml', fixtureText('process-compose.yaml')), 'process-compose');
  assert.equal(kind('C:\\app\\process-compose.override.yml', 'processes:\n  a:\n    command: x\n'), 'process-compose');
  for (const name of ['ecosystem.config.js', 'ecosystem.config.cjs', 'pm2.config.mjs']) assert.equal(kind(name, 'module.exports = {}'), 'pm2-code');
  assert.equal(kind('ecosystem.json', fixtureText('ecosystem.json')), 'pm2');
  assert.equal(kind('ecosystem.yaml', fixtureText('ecosystem.yaml')), 'pm2');
  assert.equal(kind('apps.json', '[{"name":"a","script":"a.js"}]'), 'pm2', 'a bare list of apps');
});

test('by content, for files with other names', () => {
  assert.equal(kind('services.txt', 'web: node server.js\n# comment\nworker: node worker.js\n'), 'procfile');
  assert.equal(kind('stack', 'version: "0.5"\nprocesses:\n  a:\n    command: x\n'), 'process-compose');
  assert.equal(kind('pm2-apps', '{"apps":[{"name":"a","script":"a.js"}]}'), 'pm2');
  assert.equal(kind('setup', 'module.exports = { apps: [] }'), 'pm2-code');
});

test('a Docker Compose file is refused: containers are not host commands; the supported formats and a way forward are named', () => {
  const files: [string, string][] = [['docker-compose.yml', fixtureText('docker-compose.yml')], ['compose.yaml', 'services:\n  a:\n    image: nginx\n'], ['stack.yml', fixtureText('docker-compose.yml')]];
  for (const [name, content] of files) {
    assert.throws(() => detectFormat(name, content), (err: unknown) => {
      assert.ok(err instanceof AgentTrayError);
      assert.equal(err.code, 'bad-request');
      assert.match(err.message, new RegExp(`^"${name.replace('.', '\\.')}" is a Docker Compose file: its services are containers \\(built or pulled images\\), not commands that run on this computer`));
      assert.match(err.hint ?? '', /^Agent Tray imports a Procfile \(foreman, honcho, overmind\), a process-compose\.yaml, or a PM2 ecosystem file \(ecosystem\.config\.js\/\.cjs\/\.mjs, \.json, \.yaml\)\. To keep the containers running from Agent Tray, add one agent that runs `docker compose up`/);
      return true;
    });
  }
});

test('unknown and broken files: the reason, and the formats that can be imported', () => {
  const refused = (name: string, content: string, pattern: RegExp) =>
    assert.throws(() => detectFormat(name, content), (err: unknown) => err instanceof AgentTrayError && err.code === 'bad-request' && pattern.test(err.message));
  refused('notes.txt', 'some words\nno structure', /^Could not tell what kind of file "notes\.txt" is: its content is none of them/);
  refused('empty', '  \n', /it is empty/);
  refused('settings.json', '{"theme":"dark"}', /it is JSON, but has no "apps" list/);
  refused('values.yaml', 'replicas: 2\n', /it is YAML, but has neither "processes" \(process-compose\) nor "apps" \(PM2\)/);
  refused('process-compose.yaml', 'processes:\n  a: [unclosed\n', /^"process-compose\.yaml" is not valid YAML \(line \d+, column \d+\)/);
  refused('ecosystem.json', '{"apps": [', /^"ecosystem\.json" is not valid JSON/);
});
