// The soak's command-line options. Pure.

export const USAGE = `usage: node bench/soak.mjs [--agents 30] [--iterations 50] [--seed S] [--settle-ms 4000]
                         [--source] [--out bench/results/soak-latest.json] [--keep]
  --source     run the CLI from the TypeScript sources (node --import tsx electron/cli/index.ts)
               instead of bin/agent-tray.js (which needs \`npm run build\`); AGENT_TRAY_BIN names another build
  --settle-ms  how long a disagreement between the host and the processes may last after a restart
  --keep       keep the temporary folder (data directory, logs) at the end`;

/** An error in the arguments: printed without a stack. @param {string} message */
const usageError = (message) => Object.assign(new Error(message), { usage: true });

/**
 * Parses the arguments; throws with a message naming the option on a bad one.
 * @param {string[]} argv
 * @param {{ defaultOut: string, randomSeed: () => number }} defaults
 */
export function parseOptions(argv, defaults) {
  const opts = { agents: 30, iterations: 50, seed: null, settleMs: 4000, source: false, out: defaults.defaultOut, keep: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw usageError(`${a} needs a value`);
      return v;
    };
    const count = (min) => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw usageError(`${a} takes an integer of at least ${min}, not "${v}"`);
      return n;
    };
    if (a === '--agents') opts.agents = count(1);
    else if (a === '--iterations') opts.iterations = count(1);
    else if (a === '--seed') opts.seed = count(0);
    else if (a === '--settle-ms') opts.settleMs = count(0);
    else if (a === '--out') opts.out = value();
    else if (a === '--source') opts.source = true;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw usageError(`unknown option ${a}\n${USAGE}`);
  }
  if (opts.seed === null) opts.seed = defaults.randomSeed();
  return opts;
}
