// Where a command's data lives: --data-dir (else AGENT_TRAY_DATA_DIR, else the platform's folder)
// and --config (else agents.json in it). One place for the CLI, the client commands and serve.
import { homedir } from 'node:os';
import path from 'node:path';
import { dataPaths, resolveDataDir, type DataPaths } from '../core/paths.js';

export interface DataLocation {
  paths: DataPaths;
  /** The agents file: --config, or agents.json in the data directory. */
  agentsFile: string;
}

/** Resolves the data directory and agents file from the command-line overrides. */
export function locateData(overrides: { dataDir?: string | undefined; config?: string | undefined }, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): DataLocation {
  const root = resolveDataDir({ platform: process.platform, env, homedir: homedir(), override: overrides.dataDir, cwd });
  const paths = dataPaths(root);
  return { paths, agentsFile: overrides.config ? path.resolve(cwd, overrides.config) : paths.agentsFile };
}
