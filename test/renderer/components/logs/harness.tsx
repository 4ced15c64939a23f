// Rendering a component of the window against a store on a fake bridge: the snapshot and events
// come from the test, commands answer what the test says. Also a stand-in for the layout jsdom
// does not do (the log's scroll box has a height; its content is as tall as the virtual list says).
import { act, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore, type TrayStore } from '../../../../renderer/store/store.js';
import type { StoreLimits } from '../../../../renderer/store/types.js';
import type { AgentStatus, LogLine } from '../../../../shared/status.js';
import { fakeBridge, type FakeBridge, type Handlers } from '../../helpers/fakes.js';

export interface Harness extends RenderResult {
  fake: FakeBridge;
  store: TrayStore;
  /** Sends log lines of `name` as the host would. */
  log: (name: string, lines: LogLine[]) => void;
}

/** Commands the views call on their own, answered with nothing. */
const quiet: Handlers = {
  agentLogs: () => ({ lines: [] }),
  agentStats: () => ({ samples: [] }),
  agentViolations: () => ({ violations: [] }),
};

/** Renders `ui` under a store connected to a fake bridge, then sends a snapshot of `agents` (unless null). */
export async function renderWithStore(ui: ReactElement, opts: { agents?: AgentStatus[] | null; handlers?: Handlers; limits?: Partial<StoreLimits> } = {}): Promise<Harness> {
  const fake = fakeBridge({ ...quiet, ...opts.handlers });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler, ...(opts.limits ? { limits: opts.limits } : {}) });
  let result: RenderResult | undefined;
  await act(async () => {
    result = render(<TrayStoreProvider store={store}>{ui}</TrayStoreProvider>);
  });
  if (opts.agents !== null) {
    await act(async () => fake.emit({ type: 'snapshot', at: Date.now(), agents: opts.agents ?? [] }));
  }
  const log = (name: string, lines: LogLine[]) => act(() => fake.emit({ type: 'log', name, lines }));
  return { ...(result as RenderResult), fake, store, log };
}

/** `count` lines of stdout, "line 0" … */
export function manyLines(count: number, at = 1_700_000_000_000, prefix = 'line'): LogLine[] {
  return Array.from({ length: count }, (_, i) => ({ stream: 'stdout' as const, at, text: `${prefix} ${i}` }));
}

/** Replaces a property of HTMLElement.prototype until `restore`. */
function stubProperty(name: string, descriptor: PropertyDescriptor): () => void {
  const before = Object.getOwnPropertyDescriptor(HTMLElement.prototype, name);
  Object.defineProperty(HTMLElement.prototype, name, { configurable: true, ...descriptor });
  return () => {
    if (before) Object.defineProperty(HTMLElement.prototype, name, before);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
  };
}

/**
 * Gives the log's scroll box (role="log") a viewport of `height` px and content as tall as the
 * virtual list inside it; its scrollTop is kept within the content, as a browser does.
 * Returns the function that takes the stand-in away.
 */
export function stubLogLayout(height = 360, width = 800): () => void {
  const isLog = (el: HTMLElement) => el.getAttribute('role') === 'log';
  const contentHeight = (el: HTMLElement) => Number.parseFloat((el.firstElementChild as HTMLElement | null)?.style.height ?? '') || 0;
  const tops = new WeakMap<HTMLElement, number>();
  const restores = [
    stubProperty('clientHeight', { get(this: HTMLElement) { return isLog(this) ? height : 0; } }),
    stubProperty('clientWidth', { get(this: HTMLElement) { return isLog(this) ? width : 0; } }),
    stubProperty('scrollHeight', { get(this: HTMLElement) { return isLog(this) ? Math.max(height, contentHeight(this)) : 0; } }),
    stubProperty('scrollTop', {
      get(this: HTMLElement) {
        return tops.get(this) ?? 0;
      },
      set(this: HTMLElement, value: number) {
        const max = isLog(this) ? Math.max(0, contentHeight(this) - height) : 0;
        tops.set(this, Math.min(Math.max(0, value), max));
      },
    }),
  ];
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}
