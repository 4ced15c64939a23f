// The options of `agent-tray serve`: where the data lives (as every command has it), where to
// listen, and whether the agents stop with the host.
import { parseArgs } from 'node:util';
import { locateData } from '../app/data-location.js';
import { AgentTrayError } from '../core/errors.js';
import type { DataPaths } from '../core/paths.js';
import { DEFAULT_API_PORT } from '../../shared/settings.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = DEFAULT_API_PORT;

export interface ServeOptions {
  paths: DataPaths;
  /** The agents file: --config, or agents.json in the data directory. */
  agentsFile: string;
  host: string;
  /** 0: any free port. */
  port: number;
  stopAgentsOnExit: boolean;
}

/** A port number from the command line; throws `bad-request` naming the option otherwise. */
function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new AgentTrayError('bad-request', `--port "${text}" is not a port number`, { hint: `Use a number from 1 to 65535, or 0 for any free port (default ${DEFAULT_PORT})` });
  }
  return port;
}

/** Parses the arguments of `agent-tray serve`. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ServeOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      host: { type: 'string', default: DEFAULT_HOST },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      'stop-agents-on-exit': { type: 'boolean', default: false },
    },
  });
  if (positionals.length) {
    throw new AgentTrayError('bad-request', `serve takes no names (got ${positionals.map((p) => `"${p}"`).join(', ')})`, { hint: 'It supervises every agent of agents.json; start them through the API or the CLI' });
  }
  const host = values.host.trim();
  if (!host) throw new AgentTrayError('bad-request', '--host is empty', { hint: `Leave it out to listen on ${DEFAULT_HOST}, or give an address such as 0.0.0.0` });
  return {
    ...locateData({ dataDir: values['data-dir'], config: values.config }, env, cwd),
    host,
    port: parsePort(values.port),
    stopAgentsOnExit: values['stop-agents-on-exit'],
  };
}
