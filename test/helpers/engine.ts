// An engine over a fresh data directory for one test, and matchers for its events.
import { Engine, type EngineOptions } from '../../electron/core/engine.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { AgentState, EngineEvent } from '../../shared/status.js';
import { tempDir } from './temp-dir.js';

/** Cleanups a test file runs after each test (engines closed, directories removed). */
export type Cleanups = (() => Promise<void> | void)[];

/** An engine over a fresh data directory with the given agents; closed and removed by `cleanups`. */
export async function engineWith(cleanups: Cleanups, agents: AgentDefinitionInput[], logs?: EngineOptions['logs']): Promise<Engine> {
  const { dir, cleanup } = await tempDir();
  const engine = new Engine({ dataDir: dir, ...(logs ? { logs } : {}) });
  engine.setDefinitions(agents);
  cleanups.push(cleanup, () => engine.close());
  return engine;
}

/** Matches the state event of `name` entering `to`. */
export const isState =
  (name: string, to: AgentState) =>
  (e: EngineEvent): e is Extract<EngineEvent, { type: 'state' }> =>
    e.type === 'state' && e.name === name && e.to === to;

/** Matches a log event of `name` with a line matching `pattern`. */
export const hasLine = (name: string, pattern: RegExp) => (e: EngineEvent) => e.type === 'log' && e.name === name && e.lines.some((l) => pattern.test(l.text));
