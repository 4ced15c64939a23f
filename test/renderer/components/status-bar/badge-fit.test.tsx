// @vitest-environment jsdom
// The status bar stays one row: failing and waiting agents first, then dots, then "+N more" with a
// popover; every badge keeps its accessible name. Widths are stubbed (jsdom lays nothing out).
import { act, cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatusBar } from '../../../../renderer/components/status-bar/StatusBar.js';
import { fitBadges } from '../../../../renderer/components/status-bar/badge-fit.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, running, status } from '../../helpers/fakes.js';

let rowWidth = 2000;
const saved: (PropertyDescriptor | undefined)[] = [];

/** Puts back `HTMLElement.prototype[key]` as it was (jsdom defines clientWidth on Element). */
function restore(key: 'clientWidth' | 'offsetWidth', descriptor: PropertyDescriptor | undefined) {
  if (descriptor) Object.defineProperty(HTMLElement.prototype, key, descriptor);
  else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[key];
}

beforeEach(() => {
  saved.push(Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth'), Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth'));
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('status-bar__badges') ? rowWidth : 0;
    },
  });
  // a full badge is 100 px, a dot 20, "+N more" 60
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
    configurable: true,
    get(this: HTMLElement) {
      if (this.classList.contains('badge--dot')) return 20;
      if (this.classList.contains('badge')) return 100;
      if (this.classList.contains('status-bar__more-button')) return 60;
      return 0;
    },
  });
});

afterEach(() => {
  cleanup();
  restore('clientWidth', saved.shift());
  restore('offsetWidth', saved.shift());
});

function setup(width: number) {
  rowWidth = width;
  const fake = fakeBridge({});
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <StatusBar />
    </TrayStoreProvider>,
  );
  const now = Date.now();
  act(() =>
    fake.emit({
      type: 'snapshot',
      at: now,
      agents: [running('alpha', now - 182_000), status('beta'), status('gamma', { state: 'crashed' }), status('delta', { state: 'backoff' }), running('eps', now), status('zeta')],
    }),
  );
  return fake;
}

const badgeNames = () => Array.from(document.querySelectorAll('.status-bar__badges > .badge')).map((b) => b.getAttribute('aria-label')?.split(':')[0]);

describe('fitBadges', () => {
  it('keeps full badges while they fit, then dots, then as many dots as fit beside "+N more"', () => {
    const base = { fullWidths: [100, 100, 100], dotWidth: 20, moreWidth: 60, gap: 6 };
    expect(fitBadges({ ...base, available: 312 })).toEqual({ mode: 'full', shown: 3 });
    expect(fitBadges({ ...base, available: 311 })).toEqual({ mode: 'dots', shown: 3 });
    const five = { ...base, fullWidths: [100, 100, 100, 100, 100] };
    expect(fitBadges({ ...five, available: 124 })).toEqual({ mode: 'dots', shown: 5 });
    expect(fitBadges({ ...five, available: 123 })).toEqual({ mode: 'dots', shown: 2 });
    expect(fitBadges({ ...five, available: 95 })).toEqual({ mode: 'dots', shown: 1 });
    expect(fitBadges({ ...five, available: 60 })).toEqual({ mode: 'dots', shown: 0 });
  });
});

describe('StatusBar on one row', () => {
  it('puts failing, then waiting agents first, in full where they fit', () => {
    setup(2000);
    expect(badgeNames()).toEqual(['gamma', 'delta', 'alpha', 'eps', 'beta', 'zeta']);
    expect(document.querySelector('.status-bar__badges .badge--dot')).toBeNull();
    expect(screen.getByRole('button', { name: /^alpha: running, up 3m [0-9]s$/ })).toBeTruthy();
  });

  it('shrinks the badges to dots that keep their names when full ones would wrap', () => {
    setup(300);
    expect(badgeNames()).toHaveLength(6);
    const alpha = screen.getByRole('button', { name: /^alpha: running, up 3m [0-9]s$/ });
    expect(alpha.className).toContain('badge--dot');
    expect(alpha.querySelector('.badge__name')?.textContent).toBe('alpha');
    expect(screen.queryByRole('button', { name: /more$/ })).toBeNull();
  });

  it('shows "+N more" for what no dot fits, opening a popover with the rest', async () => {
    setup(120);
    // (120 - 60 - 6 + 6) / 26 = 2 dots
    expect(badgeNames()).toEqual(['gamma', 'delta']);
    const more = screen.getByRole('button', { name: '+4 more' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(more);
    const popover = screen.getByRole('group', { name: 'More agents' });
    const labels = Array.from(popover.querySelectorAll('button')).map((b) => b.getAttribute('aria-label') ?? '');
    expect(labels.map((l) => l.split(',')[0])).toEqual(['alpha: running', 'eps: running', 'beta: stopped', 'zeta: stopped']);
    expect(labels[0]).toMatch(/^alpha: running, up 3m [0-9]s$/);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: 'More agents' })).toBeNull();
    expect(document.activeElement).toBe(more);
  });
});
