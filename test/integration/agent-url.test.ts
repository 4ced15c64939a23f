// What an agent serves (issue 18), on real processes: the URL a running web server prints becomes
// its status url (0.0.0.0 shown as 127.0.0.1) with an agent-updated event, answering requests; a
// definition's url wins; a port-only agent gets http://127.0.0.1:{port}/; each start detects anew.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../shared/status.js';
import { engineWith, isState, type Cleanups } from '../helpers/engine.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { waitForEvent } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const web = { name: 'web', command: process.execPath, args: [fixture('prints-url.mjs')], env: { PORT: '0' } };

/** Matches the agent-updated event that carries a URL detected from the output. */
const urlDetected = (e: EngineEvent): e is Extract<EngineEvent, { type: 'agent-updated' }> => e.type === 'agent-updated' && e.name === 'web' && e.status.urlSource === 'output';

test('the URL a real server prints becomes its status url, any-address shown as 127.0.0.1; each start detects anew', { timeout: 30_000 }, async () => {
  const engine = await engineWith(cleanups, [web]);
  assert.deepEqual({ url: engine.status('web').url, urlSource: engine.status('web').urlSource }, { url: null, urlSource: null });

  const updated = waitForEvent(engine, urlDetected, 10_000, 'the printed URL in an agent-updated event');
  track((await engine.start('web')).pid);
  const first = (await updated).status.url;
  assert.match(first ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(engine.status('web').url, first);
  const res = await fetch(first as string);
  assert.equal(await res.text(), 'hello from prints-url'); // the URL opens what the agent serves

  await engine.stop('web');
  assert.deepEqual({ url: engine.status('web').url, urlSource: engine.status('web').urlSource }, { url: null, urlSource: null });

  const again = waitForEvent(engine, urlDetected, 10_000, 'the URL printed by the second run');
  track((await engine.start('web')).pid);
  const second = (await again).status.url;
  assert.match(second ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.notEqual(second, null);
});

test("a definition's url wins over the one it prints", { timeout: 30_000 }, async () => {
  const engine = await engineWith(cleanups, [{ ...web, url: 'https://web.test/app', port: 1234 }]);
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const printed = waitForEvent(engine, (e) => e.type === 'log' && e.name === 'web' && e.lines.some((l) => l.text.startsWith('Listening on')), 10_000, 'the Listening line');
  track((await engine.start('web')).pid);
  await printed;
  assert.deepEqual({ url: engine.status('web').url, urlSource: engine.status('web').urlSource }, { url: 'https://web.test/app', urlSource: 'definition' });
  assert.ok(!events.some((e) => e.type === 'agent-updated' && e.status.urlSource === 'output'), 'no update for a URL that changes nothing');
});

test('an agent with a port that prints no URL: http://127.0.0.1:{port}/', { timeout: 30_000 }, async () => {
  const engine = await engineWith(cleanups, [{ name: 'quiet', command: process.execPath, args: [fixture('well-behaved.mjs')], port: 48123 }]);
  assert.deepEqual({ url: engine.status('quiet').url, urlSource: engine.status('quiet').urlSource }, { url: 'http://127.0.0.1:48123/', urlSource: 'port' });
  const running = waitForEvent(engine, isState('quiet', 'running'), 10_000, 'quiet running');
  const ready = waitForEvent(engine, (e) => e.type === 'log' && e.name === 'quiet' && e.lines.some((l) => /^ready pid=/.test(l.text)), 10_000, 'its ready line');
  track((await engine.start('quiet')).pid);
  await Promise.all([running, ready]); // it runs and has printed: none of it is a URL
  assert.equal(engine.status('quiet').urlSource, 'port');
});
