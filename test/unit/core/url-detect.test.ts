// Finding what an agent serves in the lines it prints, and the URL its status offers (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentUrl, detectUrl, detectUrlInLines, isLocalHost, isWebUrl, stripAnsi } from '../../../electron/core/url-detect.js';

const HOST = 'workbox';
const d = (line: string) => detectUrl(line, HOST);

test('the lines common servers print when they listen', () => {
  assert.equal(d('  ➜  Local:   http://localhost:5173/'), 'http://localhost:5173/'); // Vite
  assert.equal(d('   - Local:        http://localhost:3000'), 'http://localhost:3000/'); // Next.js
  assert.equal(d('INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)'), 'http://127.0.0.1:8000/'); // uvicorn
  assert.equal(d('time=2025-01-01T00:00:00Z level=INFO source=routes.go msg="Listening on 127.0.0.1:11434 (version 0.5.7)"'), null); // ollama prints no scheme
  assert.equal(d('main: server is listening on http://127.0.0.1:8080 - starting the main loop'), 'http://127.0.0.1:8080/'); // llama-server
  assert.equal(d('* Running on local URL:  http://127.0.0.1:7860'), 'http://127.0.0.1:7860/'); // gradio
  assert.equal(d('[I 10:00:00.000 ServerApp]     http://127.0.0.1:8888/lab?token=abc123'), 'http://127.0.0.1:8888/lab?token=abc123'); // jupyter
  assert.equal(d('Listening on http://0.0.0.0:4000/'), 'http://127.0.0.1:4000/');
});

test('colour codes around and inside the URL are removed', () => {
  assert.equal(stripAnsi('\u001b[32mready\u001b[39m'), 'ready');
  assert.equal(d('  \u001b[32m➜\u001b[39m  \u001b[1mLocal\u001b[22m:   \u001b[36mhttp://localhost:\u001b[1m5173\u001b[22m/\u001b[39m'), 'http://localhost:5173/');
  assert.equal(d('\u001b]8;;http://127.0.0.1:9000/\u0007link\u001b]8;;\u0007 and http://127.0.0.1:9001/'), 'http://127.0.0.1:9001/');
});

test('any-address and IPv6 hosts', () => {
  assert.equal(d('Serving on http://[::]:8080/'), 'http://127.0.0.1:8080/');
  assert.equal(d('Serving on http://[::1]:8080/docs'), 'http://[::1]:8080/docs');
  assert.equal(d('Serving on https://0.0.0.0:8443/api'), 'https://127.0.0.1:8443/api');
  assert.equal(d('on http://127.1.2.3:81/'), 'http://127.1.2.3:81/');
  assert.equal(d(`on http://${HOST}:9090/`), `http://${HOST}:9090/`);
});

test('punctuation a sentence puts after the URL is trimmed; a parenthesis the URL opened stays', () => {
  assert.equal(d('Open http://localhost:3000/.'), 'http://localhost:3000/');
  assert.equal(d('(see http://localhost:3000/app),'), 'http://localhost:3000/app');
  assert.equal(d('"http://localhost:3000/x";'), 'http://localhost:3000/x');
  assert.equal(d('docs: http://localhost:3000/wiki/A_(b)'), 'http://localhost:3000/wiki/A_(b)');
});

test('no URL, or only remote ones: nothing', () => {
  assert.equal(d('Loading model weights 42%'), null);
  assert.equal(d('Downloading https://huggingface.co/model.bin'), null);
  assert.equal(d('ftp://localhost:21/'), null);
  assert.equal(d('Fetched https://pypi.org/simple then listening on http://localhost:8001/'), 'http://localhost:8001/');
  assert.equal(detectUrlInLines([{ text: 'booting' }, { text: 'up at http://localhost:1/' }, { text: 'http://localhost:2/' }], HOST), 'http://localhost:1/');
  assert.equal(detectUrlInLines([], HOST), null);
});

test('local hosts', () => {
  for (const h of ['localhost', 'app.localhost', '127.0.0.1', '0.0.0.0', '[::1]', '[::]', 'WorkBox', 'workbox.local']) assert.ok(isLocalHost(h, HOST), h);
  for (const h of ['example.com', '10.0.0.2', '192.168.1.5', '[2001:db8::1]', 'workbox.example.com']) assert.ok(!isLocalHost(h, HOST), h);
});

test('the URL a status offers: the definition wins, then the output, then the port', () => {
  assert.deepEqual(agentUrl({ url: 'https://app.test/', port: 80 }, 'http://127.0.0.1:1/'), { url: 'https://app.test/', urlSource: 'definition' });
  assert.deepEqual(agentUrl({ port: 80 }, 'http://127.0.0.1:1/'), { url: 'http://127.0.0.1:1/', urlSource: 'output' });
  assert.deepEqual(agentUrl({ port: 8080 }, null), { url: 'http://127.0.0.1:8080/', urlSource: 'port' });
  assert.deepEqual(agentUrl({}, null), { url: null, urlSource: null });
});

test('only http and https are web URLs', () => {
  assert.ok(isWebUrl('http://127.0.0.1:1/'));
  assert.ok(isWebUrl('HTTPS://x.test'));
  for (const u of ['javascript:alert(1)', 'file:///etc/passwd', 'not a url', 'ftp://x/']) assert.ok(!isWebUrl(u), u);
});
