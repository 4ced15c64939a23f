// `agent-tray add NAME [options] -- COMMAND [ARGS...]`: defines a new agent through the running
// host, which checks it like any definition (its words are printed when it refuses) and saves it
// to agents.json. The command and its arguments come after `--`, so their own options stay theirs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEPENDENCY_CONDITIONS, type DependencyCondition } from '../../shared/agent.js';
import { connect, dataDirFrom, request, runClientCommand, UsageError } from './client.js';
import type { Line } from './commands.js';

export const ADD_USAGE = 'agent-tray add NAME [--cwd DIR] [--env K=V]... [--env-file FILE]... [--port N] [--group G]... [--depends-on NAME[=CONDITION]]... [--description TEXT] [--data-dir DIR] -- COMMAND [ARGS...]';

export interface AddArgs {
  dataDir: string | undefined;
  /** The definition as sent to the host (it validates it). */
  definition: Record<string, unknown>;
}

/** K=V into [K, V]; the value may hold "=" and be empty. */
export function parseEnvPair(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--env "${text}" is not KEY=VALUE (e.g. --env OPENAI_BASE_URL=http://127.0.0.1:11434)\nUsage: ${ADD_USAGE}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** NAME=CONDITION (or NAME alone: started) into [NAME, CONDITION]. */
export function parseDependency(text: string): [string, DependencyCondition] {
  const at = text.indexOf('=');
  const name = at === -1 ? text : text.slice(0, at);
  const condition = at === -1 ? 'started' : text.slice(at + 1);
  if (!name) throw new UsageError(`--depends-on "${text}" names no agent; use NAME=CONDITION, e.g. --depends-on model=healthy\nUsage: ${ADD_USAGE}`);
  if (!(DEPENDENCY_CONDITIONS as readonly string[]).includes(condition)) {
    throw new UsageError(`--depends-on "${text}": "${condition}" is not a condition; use one of ${DEPENDENCY_CONDITIONS.join(', ')}\nUsage: ${ADD_USAGE}`);
  }
  return [name, condition as DependencyCondition];
}

/** --port: a whole number from 1 to 65535. */
function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65_535)) throw new UsageError(`--port "${text}" is not a port number from 1 to 65535\nUsage: ${ADD_USAGE}`);
  return port;
}

/**
 * An --env-file path as stored: taken from the current directory like every path on a command line,
 * then written relative to the agent's cwd when it lies inside it (agents.json stays movable with
 * the project), else absolute. (Node 20 and later also read a script's `--env-file` argument and
 * stop with "node: FILE: not found" when it is missing from the current directory: the same place.)
 */
export function envFilePath(file: string, agentCwd: string, cwd: string = process.cwd()): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(agentCwd, absolute);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}

/** The definition `add` sends: --cwd resolved against the current directory (default: it), --env-file as envFilePath says. */
export function parseAdd(argv: string[], cwd: string = process.cwd()): AddArgs {
  const end = argv.indexOf('--');
  const { values, positionals } = parseArgs({
    args: end === -1 ? argv : argv.slice(0, end),
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      cwd: { type: 'string' },
      env: { type: 'string', short: 'e', multiple: true, default: [] },
      'env-file': { type: 'string', multiple: true, default: [] },
      port: { type: 'string', short: 'p' },
      group: { type: 'string', short: 'g', multiple: true, default: [] },
      'depends-on': { type: 'string', multiple: true, default: [] },
      description: { type: 'string' },
    },
  });
  const [name, ...early] = positionals;
  if (!name) throw new UsageError(`missing the agent NAME\nUsage: ${ADD_USAGE}`);
  const after = end === -1 ? [] : argv.slice(end + 1);
  if (early.length && after.length) throw new UsageError(`give the command once, after "--" (got ${early.join(' ')} before it)\nUsage: ${ADD_USAGE}`);
  const [command, ...args] = after.length ? after : early;
  if (!command) throw new UsageError(`missing the COMMAND to run; put it after "--", e.g. agent-tray add ${name} -- python3 -m http.server 8000\nUsage: ${ADD_USAGE}`);

  const agentCwd = path.resolve(cwd, values.cwd ?? '.');
  const definition: Record<string, unknown> = { name, command, args, cwd: agentCwd };
  if (values.description !== undefined) definition.description = values.description;
  if (values.env.length) definition.env = Object.fromEntries(values.env.map(parseEnvPair));
  const envFiles = values['env-file'].map((f) => envFilePath(f, agentCwd, cwd));
  if (envFiles.length) definition.envFile = envFiles.length === 1 ? envFiles[0] : envFiles;
  if (values.port !== undefined) definition.port = parsePort(values.port);
  if (values.group.length) definition.groups = [...new Set(values.group)];
  if (values['depends-on'].length) definition.dependsOn = Object.fromEntries(values['depends-on'].map(parseDependency));
  return { dataDir: values['data-dir'], definition };
}

/** Adds the agent; 0 once the host saved it, 1 when it refused (its reason printed), 2 on usage errors. */
export function addCommand(argv: string[], out: Line, err: Line): Promise<number> {
  return runClientCommand(err, async () => {
    const { dataDir, definition } = parseAdd(argv);
    const missing = ([] as unknown[]).concat(definition.envFile ?? []).filter((f) => typeof f === 'string' && !existsSync(path.resolve(String(definition.cwd), f)));
    const conn = await connect(dataDirFrom(dataDir));
    // the host checks the definition with the shared schema; its type is not this file's to restate
    const status = await request(conn, 'createAgent', { definition } as never);
    out(`${status.name}: added (${status.state}); start it with: agent-tray start ${status.name}`);
    for (const f of missing) err(`note: the env file ${String(f)} does not exist (yet); ${status.name} will not start until it does`);
    return 0;
  });
}
