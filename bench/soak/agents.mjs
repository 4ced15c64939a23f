// The soak's agents: a mix of kinds, so that the host is tried on more than one way to run a
// process. The definitions are pure; `writeAgentFiles` writes the shell script they refer to.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/agents/', import.meta.url));
const FLAKY = fileURLToPath(new URL('./flaky-agent.mjs', import.meta.url));

/** The kinds, in the order they repeat: the first few agents already cover every kind. */
export const KIND_CYCLE = ['chatty', 'script', 'flaky', 'port', 'well-behaved', 'chatty', 'chatty', 'chatty', 'chatty', 'chatty'];

/** A shell-script agent (it runs as `/bin/sh <script>`): a line a second, exits 0 on SIGTERM. */
export const SHELL_SCRIPT = `#!/bin/sh
# soak agent: a shell script that prints a line every second until it is stopped
trap 'echo "got TERM"; exit 0' TERM
echo "ready pid=$$"
n=0
while :; do
  n=$((n + 1))
  echo "tick $n"
  sleep 1
done
`;

/** The file name of the shell-script agent in the soak's folder. */
export const SHELL_SCRIPT_NAME = 'soak-agent.sh';

/**
 * The definition of one agent of a kind.
 * @param {string} kind one of KIND_CYCLE
 * @param {string} name
 * @param {{ node: string, scriptDir: string, port?: number }} where the node binary, the folder of the shell script, a free port for `port` agents
 */
export function definitionOf(kind, name, where) {
  const node = (file, env = {}) => ({ name, command: where.node, args: [file], env: { ...env } });
  switch (kind) {
    case 'chatty':
      return node(join(FIXTURES, 'chatty.mjs'), { INTERVAL_MS: '500' });
    case 'well-behaved':
      return node(join(FIXTURES, 'well-behaved.mjs'));
    case 'script':
      return { name, command: join(where.scriptDir, SHELL_SCRIPT_NAME), args: [], env: {} };
    case 'flaky':
      return {
        ...node(FLAKY),
        restart: { policy: 'on-failure', maxRestarts: 1000, windowMs: 60_000, stableMs: 600_000, backoff: { initialMs: 300, factor: 1.5, maxMs: 2000 } },
      };
    case 'port':
      if (!where.port) throw new Error(`agent ${name} needs a port`);
      return { ...node(join(FIXTURES, 'http-server.mjs'), { PORT: String(where.port) }), port: where.port };
    default:
      throw new Error(`unknown agent kind ${kind}`);
  }
}

/** The kind of the i-th agent. @param {number} i */
export const kindOf = (i) => KIND_CYCLE[i % KIND_CYCLE.length];

/** The name of the i-th agent: its number and kind, e.g. `s03-port`. @param {number} i */
export const nameOf = (i) => `s${String(i).padStart(2, '0')}-${kindOf(i)}`;

/**
 * The n agents of a soak run.
 * @param {number} n
 * @param {{ node: string, scriptDir: string, ports: number[] }} where one free port per `port` agent, in order
 */
export function soakAgents(n, where) {
  const ports = [...where.ports];
  return Array.from({ length: n }, (_, i) => {
    const kind = kindOf(i);
    return definitionOf(kind, nameOf(i), { ...where, port: kind === 'port' ? ports.shift() : undefined });
  });
}

/** How many `port` agents n agents have. @param {number} n */
export const portAgentCount = (n) => Array.from({ length: n }, (_, i) => kindOf(i)).filter((k) => k === 'port').length;

/** Writes the shell-script agent into `dir`, executable. @param {string} dir */
export function writeAgentFiles(dir) {
  const file = join(dir, SHELL_SCRIPT_NAME);
  writeFileSync(file, SHELL_SCRIPT);
  chmodSync(file, 0o755);
  return file;
}
