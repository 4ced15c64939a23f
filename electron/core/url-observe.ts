// The engine's reading of a run's output for what the agent serves: the first local URL it prints
// after it starts becomes its status `url` (urlSource `output`), announced by an `agent-updated`.
import type { EngineEvent } from '../../shared/status.js';
import type { Runtime } from './engine-types.js';
import { detectUrlInLines } from './url-detect.js';

/** What the observer needs of the engine. */
export interface UrlHost {
  readonly runtimes: ReadonlyMap<string, Runtime>;
  /** Announces that the agent's status changed (an agent-updated event). */
  updated(rt: Runtime): void;
}

/** Records the first URL a starting or running agent prints in this run, and announces it. */
export function observeUrl(host: UrlHost, event: EngineEvent): void {
  if (event.type !== 'log') return;
  const rt = host.runtimes.get(event.name);
  // a definition's url wins over what it prints: nothing to look for in its lines
  if (!rt || rt.def.url || rt.detectedUrl || (rt.state !== 'starting' && rt.state !== 'running')) return;
  const url = detectUrlInLines(event.lines);
  if (!url) return;
  rt.detectedUrl = url;
  host.updated(rt);
}
