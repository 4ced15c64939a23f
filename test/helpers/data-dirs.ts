// Data directories with an agents.json for one test file, and what ends after each test: every
// tracked process (and, where hosts may be killed mid-test, the agents their PID files name), then
// the file's cleanups newest first (apps closed, directories removed).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { agentPidsOf, killTracked, track } from './processes.js';
import { tempDir } from './temp-dir.js';

export interface TestDataDirs {
  /** Cleanups run after each test, newest first; tests add their own (an app to close). */
  cleanups: (() => Promise<void> | void)[];
  /** A fresh data directory whose agents.json holds `agents`. */
  dataDir(agents: unknown[]): Promise<string>;
  /** For afterEach. */
  afterEach(): Promise<void>;
}

/** `endAgentsOfDirs`: also end the agents the directories' PID files name (a killed host leaves them running untracked). */
export function testDataDirs(opts: { endAgentsOfDirs?: boolean } = {}): TestDataDirs {
  const dirs: string[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  return {
    cleanups,
    async dataDir(agents) {
      const { dir, cleanup } = await tempDir();
      cleanups.push(cleanup);
      dirs.push(dir);
      writeFileSync(path.join(dir, 'agents.json'), JSON.stringify({ agents }));
      return dir;
    },
    async afterEach() {
      killTracked(); // the hosts and every CLI process first, then the agents they left running
      for (const dir of dirs.splice(0)) if (opts.endAgentsOfDirs) track(...agentPidsOf(dir));
      killTracked();
      for (const c of cleanups.splice(0).reverse()) await c();
    },
  };
}
