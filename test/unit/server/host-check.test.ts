// Which Host and Origin headers the headless host accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, hostnameOf, hostPolicy, isLoopbackHost, isWildcardHost, urlHost } from '../../../electron/server/host-check.js';

test('loopback and wildcard hosts are recognised', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['0.0.0.0', '192.168.1.5', '::', 'example.com', '128.0.0.1']) assert.equal(isLoopbackHost(h), false, h);
  for (const h of ['0.0.0.0', '::', '[::]']) assert.equal(isWildcardHost(h), true, h);
  assert.equal(isWildcardHost('127.0.0.1'), false);
});

test('URLs put IPv6 in brackets; a wildcard host is reached through loopback', () => {
  assert.equal(urlHost('::1'), '[::1]');
  assert.equal(urlHost('Example.COM'), 'example.com');
  assert.equal(baseUrl('127.0.0.1', 4821), 'http://127.0.0.1:4821');
  assert.equal(baseUrl('::1', 4821), 'http://[::1]:4821');
  assert.equal(baseUrl('0.0.0.0', 80), 'http://127.0.0.1:80');
  assert.equal(baseUrl('::', 80), 'http://[::1]:80');
});

test('hostnameOf takes the name of a Host header and refuses anything that is not one', () => {
  assert.equal(hostnameOf('127.0.0.1:4821'), '127.0.0.1');
  assert.equal(hostnameOf('[::1]:4821'), '[::1]');
  assert.equal(hostnameOf('LocalHost'), 'localhost');
  for (const bad of ['', 'a b', 'evil.com/x', 'user@evil.com', 'x?y']) assert.equal(hostnameOf(bad), null, bad);
});

test('bound to loopback: the loopback names only; origins of this host under any of them', () => {
  const p = hostPolicy('127.0.0.1', 4821, 'box');
  for (const h of ['127.0.0.1', 'localhost', '[::1]']) assert.equal(p.allowsHostname(h), true, h);
  for (const h of ['evil.example', 'box', '192.168.1.5', '127.0.0.2']) assert.equal(p.allowsHostname(h), false, h);
  assert.equal(p.allowsOrigin('http://localhost:4821', '127.0.0.1:4821'), true);
  assert.equal(p.allowsOrigin('http://127.0.0.1:4821', '127.0.0.1:4821'), true);
  assert.equal(p.allowsOrigin('http://localhost:9000', 'localhost:9000'), true, 'a port forward is same-origin');
  for (const o of ['http://evil.example', 'null', 'https://127.0.0.1:4821', 'http://127.0.0.1:4822', 'http://localhost:4821.evil.example']) {
    assert.equal(p.allowsOrigin(o, '127.0.0.1:4821'), false, o);
  }
});

test('bound to every interface: IP addresses, localhost and the machine name; only same-origin pages', () => {
  const p = hostPolicy('0.0.0.0', 4821, 'Box');
  for (const h of ['10.0.0.7', '[fe80::1]', 'localhost', 'box', 'box.local', '0.0.0.0']) assert.equal(p.allowsHostname(h), true, h);
  assert.equal(p.allowsHostname('evil.example'), false);
  assert.equal(p.allowsOrigin('http://10.0.0.7:4821', '10.0.0.7:4821'), true);
  assert.equal(p.allowsOrigin('http://10.0.0.8:4821', '10.0.0.7:4821'), false, 'another machine\'s page');
  assert.match(p.names.join(', '), /any IP address/);
});

test('bound to one address: that address', () => {
  const p = hostPolicy('192.168.1.5', 4821, 'box');
  assert.equal(p.allowsHostname('192.168.1.5'), true);
  assert.equal(p.allowsHostname('localhost'), false);
  assert.equal(p.allowsOrigin('http://192.168.1.5:4821', '192.168.1.5:4821'), true);
});
