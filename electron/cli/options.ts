// Command-line options shared by every command: where the data lives and which agents file to read.
import { parseArgs } from 'node:util';
import { locateData } from '../app/data-location.js';
import type { DataPaths } from '../core/paths.js';

export interface CommonOptions {
  paths: DataPaths;
  /** The agents file: --config, or agents.json in the data directory. */
  agentsFile: string;
  positionals: string[];
}

/** Parses `--data-dir`, `--config` and the positionals of one command. */
export function parseCommon(argv: string[], env: NodeJS.ProcessEnv = process.env): CommonOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
    },
  });
  return { ...locateData({ dataDir: values['data-dir'], config: values.config }, env), positionals };
}
