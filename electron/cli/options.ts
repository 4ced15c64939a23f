// Command-line options shared by every command: where the data lives and which agents file to read.
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dataPaths, resolveDataDir, type DataPaths } from '../core/paths.js';

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
  const root = resolveDataDir({ platform: process.platform, env, homedir: homedir(), override: values['data-dir'], cwd: process.cwd() });
  const paths = dataPaths(root);
  return { paths, agentsFile: values.config ? path.resolve(values.config) : paths.agentsFile, positionals };
}
