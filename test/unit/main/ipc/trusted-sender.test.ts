// Unit tests for the IPC sender check: only the main frame of our window, on our page, is trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { untrustedReason, type IpcSenderInfo, type TrustedWindow } from '../../../../electron/main/ipc/trusted-sender.js';

const PAGE = 'file:///opt/Agent%20Tray/resources/app.asar/dist/renderer/index.html';
const trusted: TrustedWindow = { webContentsId: () => 7, pageUrl: PAGE };

function event(over: { id?: number; url?: string; parent?: unknown; noFrame?: boolean } = {}): IpcSenderInfo {
  return { sender: { id: over.id ?? 7 }, senderFrame: over.noFrame ? null : { url: over.url ?? PAGE, parent: over.parent ?? null } };
}

test('the main frame of our window on our page is trusted, with any query or fragment', () => {
  assert.equal(untrustedReason(event(), trusted), null);
  assert.equal(untrustedReason(event({ url: `${PAGE}#/agents/alpha` }), trusted), null);
  assert.equal(untrustedReason(event({ url: `${PAGE}?view=logs` }), trusted), null);
});

test('another webContents is refused', () => {
  assert.match(untrustedReason(event({ id: 8 }), trusted) ?? '', /does not come from the Agent Tray window/);
});

test('no window yet: everything is refused', () => {
  assert.match(untrustedReason(event(), { webContentsId: () => null, pageUrl: PAGE }) ?? '', /does not come from/);
});

test('a sub-frame of our window is refused', () => {
  assert.match(untrustedReason(event({ parent: {} }), trusted) ?? '', /sub-frame/);
});

test('our window showing another page is refused, naming the page', () => {
  assert.match(untrustedReason(event({ url: 'https://evil.example/' }), trusted) ?? '', /evil\.example.*not from the Agent Tray page/);
  assert.match(untrustedReason(event({ url: 'file:///tmp/other.html' }), trusted) ?? '', /other\.html/);
  assert.match(untrustedReason(event({ url: 'not a url' }), trusted) ?? '', /not a url/);
});

test('a frame that is gone is refused', () => {
  assert.match(untrustedReason(event({ noFrame: true }), trusted) ?? '', /frame is gone/);
});
