// Procfiles: each `name: command` line an agent, comments and bad lines skipped (the bad ones named),
// quoting handled, shell lines through sh, foreman's PORT, and the .env beside the file: referred to
// (envFile) when it is on disk, its values copied when only its text was sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseProcfile } from '../../../../electron/app/import/procfile.js';
import { context, FIXTURES, fixtureText } from './helpers.js';

test('the fixture Procfile: every process line, quoting kept, shell lines through sh, PORT per line, cwd and .env from its folder', () => {
  const parsed = parseProcfile(fixtureText('Procfile'), context('Procfile'));
  assert.equal(parsed.format, 'procfile');
  const byName = Object.fromEntries(parsed.agents.map((a) => [a.source, a.definition]));
  assert.deepEqual(Object.keys(byName), ['web', 'worker', 'ollama', 'mcp', 'release', 'clock']);
  assert.deepEqual([byName.web!.command, byName.web!.args], ['sh', ['-c', 'gunicorn app:server --bind 127.0.0.1:$PORT --workers 2']]);
  assert.equal(byName.web!.port, 5000, 'a line that uses $PORT listens on it');
  assert.deepEqual([byName.worker!.command, byName.worker!.args], ['celery', ['-A', 'tasks', 'worker', '--loglevel=info', '-Q', 'default,embeddings']]);
  assert.equal(byName.worker!.port, undefined);
  assert.deepEqual(byName.worker!.env, { PORT: '5100' });
  assert.deepEqual([byName.ollama!.command, byName.ollama!.args], ['/opt/Ollama Models/bin/ollama', ['serve']]);
  assert.deepEqual(byName.mcp!.args, ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/My Documents']);
  assert.deepEqual(byName.release!.args, ['-c', 'python manage.py migrate && python manage.py collectstatic --noinput']);
  assert.deepEqual([byName.clock!.command, byName.clock!.args], ['python3', ['-c', 'import time; print("tick")']]);
  for (const def of Object.values(byName)) {
    assert.equal(def.cwd, FIXTURES);
    assert.equal(def.envFile, path.join(FIXTURES, '.env'));
  }
  assert.ok(parsed.notes.includes('Line 13 was skipped: "this line is not a process" is not "name: command"'), parsed.notes.join('\n'));
  assert.deepEqual(parsed.missingFiles, []);
  assert.ok(parsed.agents.every((a) => a.notCarried.length === 0));
});

test('without the folder: the .env sent along is parsed (export, quotes, # in quotes, multi-line) and copied into env; no cwd, said per agent', () => {
  const parsed = parseProcfile(fixtureText('Procfile'), context('Procfile', { dir: null, files: { '.env': fixtureText('.env') } }));
  const web = parsed.agents[0]!;
  assert.deepEqual(web.definition.env, {
    DATABASE_URL: 'postgres://localhost/research',
    OPENAI_API_KEY: 'sk-test-not-a-real-key',
    GREETING: 'hello # not a comment',
    NOTES: 'first line\nsecond line',
    PORT: '5000',
  });
  assert.equal(web.definition.envFile, undefined);
  assert.equal(web.definition.cwd, undefined);
  assert.match(web.notCarried[0]!.reason, /foreman runs each line in the Procfile's folder, which was not given/);
  assert.match(parsed.notes[0]!, /The 4 variables of .env were copied into each agent's env/);

  const without = parseProcfile('web: node server.js\n', context('Procfile', { dir: null }));
  assert.deepEqual(without.missingFiles, ['.env'], 'a client without the folder hears that the .env was not sent');
});

test('on Windows a shell line runs through cmd.exe, with a warning that it was written for sh', () => {
  const parsed = parseProcfile('web: node server.js --port $PORT\nplain: node worker.js\n', context('Procfile', { platform: 'win32', dir: 'C:\\app' }));
  assert.deepEqual([parsed.agents[0]!.definition.command, parsed.agents[0]!.definition.args], ['cmd.exe', ['/d', '/s', '/c', 'node server.js --port $PORT']]);
  assert.match(parsed.agents[0]!.notCarried[0]!.reason, /written for sh; it runs through cmd\.exe here/);
  assert.deepEqual(parsed.agents[1]!.notCarried, []);
});

test('a Procfile with no process lines says so', () => {
  const parsed = parseProcfile('# only a comment\n\n', context('Procfile'));
  assert.deepEqual(parsed.agents, []);
  assert.ok(parsed.notes.includes('The Procfile has no "name: command" lines'));
});
