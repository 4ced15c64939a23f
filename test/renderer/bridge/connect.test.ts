// @vitest-environment jsdom
// Choosing the bridge in a page: Electron's preload bridge when there is one, else HTTP with the
// token from the URL (kept in sessionStorage, taken out of the address bar), else a clear problem.
import { BridgeError } from '../../../shared/bridge.js';
import { afterEach, describe, expect, it } from 'vitest';
import { browserEnvironment, connectBridge, NO_TOKEN_PROBLEM, takeToken, TOKEN_STORAGE_KEY } from '../../../renderer/bridge/connect.js';
import { fakeBridge } from '../helpers/fakes.js';

afterEach(() => {
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  delete (window as { agentTray?: unknown }).agentTray;
});

describe('connectBridge', () => {
  it('uses window.agentTray inside Electron', () => {
    const { bridge } = fakeBridge();
    (window as { agentTray?: unknown }).agentTray = bridge;
    const c = connectBridge();
    if (!c.ok) throw new Error('no bridge');
    expect(c.bridge.version).toBe(bridge.version);
    expect(c.bridge.host).toBe('electron');
  });

  it('turns the preload\'s plain-object rejections into BridgeErrors', async () => {
    const { bridge } = fakeBridge({ startAgent: () => Promise.reject({ code: 'unknown-agent', message: 'No agent named "x"', hint: 'Check the spelling' }) });
    (window as { agentTray?: unknown }).agentTray = bridge;
    const c = connectBridge();
    if (!c.ok) throw new Error('no bridge');
    const err = await c.bridge.startAgent({ name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect((err as BridgeError).code).toBe('unknown-agent');
    expect((err as BridgeError).hint).toBe('Check the spelling');
  });

  it('in a browser: the HTTP bridge to the page\'s origin with the URL\'s token, which leaves the address bar', () => {
    window.history.replaceState({ keep: 1 }, '', '/?token=s3cret&view=logs#top');
    const c = connectBridge();
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.bridge.host).toBe('http');
    expect((c.bridge as { baseUrl?: string }).baseUrl).toBe(window.location.origin);
    expect(window.location.search).toBe('?view=logs');
    expect(window.location.hash).toBe('#top');
    expect(window.history.state).toEqual({ keep: 1 });
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('s3cret');
  });

  it('after a reload (no token in the URL) it takes the token from sessionStorage; a new URL token wins', () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'old');
    expect(takeToken(browserEnvironment())).toBe('old');
    window.history.replaceState(null, '', '/?token=new');
    expect(takeToken(browserEnvironment())).toBe('new');
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('without a token: the problem, in words that say what to open', () => {
    const c = connectBridge();
    expect(c).toEqual({ ok: false, problem: NO_TOKEN_PROBLEM });
    expect(NO_TOKEN_PROBLEM.message).toContain('agent-tray serve');
    expect(NO_TOKEN_PROBLEM.message).toContain('?token=');
  });

  it('works where sessionStorage throws (storage disabled)', () => {
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const replaced: string[] = [];
    const env = { location: { href: 'http://127.0.0.1:5/?token=abc', origin: 'http://127.0.0.1:5' }, sessionStorage: throwing, history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) } };
    expect(takeToken(env)).toBe('abc');
    expect(replaced).toEqual(['/']);
    expect(takeToken({ ...env, location: { href: 'http://127.0.0.1:5/', origin: 'http://127.0.0.1:5' } })).toBeNull();
  });
});
