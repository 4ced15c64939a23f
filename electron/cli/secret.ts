// `agent-tray secret set|list|remove`: an agent's secret variables, kept out of agents.json. With a
// host running the change goes through its API (so the desktop app encrypts it with the keychain
// and every window hears of it); with none, it is made on the data directory (secret-direct.ts).
// A value is never an argument: stdin, a hidden prompt, or --value-from-env.
import { parseArgs } from 'node:util';
import type { SecretEntry, SecretStoreInfo } from '../../shared/env.js';
import { envNameProblem } from '../../shared/agent.js';
import { locateData } from '../app/data-location.js';
import { readLiveLock } from '../server/host-lock.js';
import { AgentTrayError } from '../core/errors.js';
import { ClientError, connect, request, runClientCommand, UsageError } from './client.js';
import type { Line } from './commands.js';
import { secretValue } from './read-secret.js';
import { listSecretsDirect, removeSecretDirect, setSecretDirect } from './secret-direct.js';

export const SECRET_USAGE = [
  'agent-tray secret set NAME KEY [--value-from-env VAR] [--data-dir DIR]   (the value from stdin, or typed at a prompt that does not echo)',
  'agent-tray secret list NAME [--json] [--data-dir DIR]',
  'agent-tray secret remove NAME KEY [--data-dir DIR]   (also: rm)',
].join('\n');

/** Where the store is, in words, with the note of a fallback. */
function storeLine(store: SecretStoreInfo): string {
  const kind = store.kind === 'safe-storage' ? 'encrypted with the system keychain' : 'readable only by you (0600)';
  return `secrets of this data directory: ${store.file} (${kind})${store.note ? `\nnote: ${store.note}` : ''}`;
}

/** One line of `secret list`. */
function entryLine(e: SecretEntry): string {
  if (e.stored && e.declared) return e.key;
  if (e.declared) return `${e.key}  (no value stored: the agent's start fails until it is set)`;
  return `${e.key}  (stored, not in secretEnv: not given to the agent)`;
}

/** The positionals NAME KEY (KEY only when `withKey`). */
function nameAndKey(positionals: string[], withKey: boolean): { name: string; key: string } {
  const [name, key, ...extra] = positionals;
  if (!name || (withKey && !key) || extra.length || (!withKey && key)) throw new UsageError(`expected NAME${withKey ? ' KEY' : ''}\nUsage:\n${SECRET_USAGE}`);
  if (withKey) {
    const problem = envNameProblem(key!);
    if (problem) throw new UsageError(`KEY "${key}": ${problem}`);
  }
  return { name, key: key ?? '' };
}

/** A change made on the data directory: its refusals read as the host's would (exit code 1). */
async function direct<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof AgentTrayError) throw new ClientError(e.message, e.code);
    throw e;
  }
}

/** Runs one subcommand; 0 on success, 1 when refused, 2 on a usage error. */
export function secretCommand(argv: string[], out: Line, err: Line): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, config: { type: 'string' }, 'value-from-env': { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const [action, ...rest] = positionals;
    const { paths, agentsFile } = locateData({ dataDir: values['data-dir'], config: values.config });
    const dataDir = paths.root;
    // `agent-tray run` serves no API and reads the file store at each start: the data directory is changed directly
    const lock = await readLiveLock(dataDir);
    const host = lock && lock.kind !== 'run' ? await connect(dataDir) : null;

    switch (action) {
      case 'set': {
        const { name, key } = nameAndKey(rest, true);
        const value = await secretValue({ fromEnv: values['value-from-env'], label: `${key} of ${name}`, env: process.env, stdin: process.stdin, stderr: process.stderr });
        const result = host ? await request(host, 'setSecret', { name, key, value }) : await direct(setSecretDirect(dataDir, agentsFile, name, key, value));
        out(`${name}: ${key} stored; the agent gets it from its next start (secretEnv: ${result.secretEnv.join(', ')})`);
        out(storeLine(result.store));
        return 0;
      }
      case 'list': {
        const { name } = nameAndKey(rest, false);
        const result = host ? await request(host, 'listSecrets', { name }) : await direct(listSecretsDirect(dataDir, agentsFile, name));
        if (values.json) out(JSON.stringify(result, null, 2));
        else {
          if (result.secrets.length === 0) out(`${name} has no secrets`);
          for (const e of result.secrets) out(entryLine(e));
          err(storeLine(result.store));
        }
        return 0;
      }
      case 'remove':
      case 'rm': {
        const { name, key } = nameAndKey(rest, true);
        const result = host ? await request(host, 'removeSecret', { name, key }) : await direct(removeSecretDirect(dataDir, agentsFile, name, key));
        if (!result.removed) {
          out(`${name}: ${key} had no stored value (nor is it in secretEnv now)`);
          return 1;
        }
        out(`${name}: ${key} removed from the secret store and from secretEnv`);
        return 0;
      }
      default:
        throw new UsageError(`${action === undefined ? 'missing the action' : `unknown action "${action}"`}: set, list or remove\nUsage:\n${SECRET_USAGE}`);
    }
  });
}
