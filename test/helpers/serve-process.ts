// `agent-tray serve` as a child process whose stdout and stderr can be anything a person gives it
// (a file on a full disk, /dev/full, a pipe whose reader goes away): it is found through the data
// directory (host.lock's URL, the api-token file), not through the line it prints.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { readToken } from '../../electron/server/api-token.js';
import { readLiveLock } from '../../electron/server/host-lock.js';
import { apiClient, type TestHost } from './http-host.js';
import { track } from './processes.js';
import { waitFor } from './wait.js';

const cli = new URL('../../electron/cli/index.ts', import.meta.url).pathname;

export interface ServeProcess {
  pid: number;
  /** The pipes asked for ('pipe' in `stdio`), null otherwise. */
  stdout: Readable | null;
  stderr: Readable | null;
  /** The exit code, or the signal's name when a signal ended it. */
  exit: Promise<number | string | null>;
}

/** Where a stream of the child goes: a file descriptor of this process, a pipe, or nowhere. */
export type Stdio = number | 'pipe' | 'ignore';

/** Starts `agent-tray serve --data-dir DIR --port 0` with the given stdout and stderr (and `nodeArgs` for node, before the script). */
export function startServe(dataDir: string, stdout: Stdio, stderr: Stdio, args: string[] = [], nodeArgs: string[] = []): ServeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, cli, 'serve', '--data-dir', dataDir, '--port', '0', ...args], { stdio: ['ignore', stdout, stderr] });
  track(child.pid);
  const exit = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return { pid: child.pid as number, stdout: child.stdout, stderr: child.stderr, exit };
}

/** Waits until the host of `dataDir` has recorded its URL, then returns its API client; rejects early when the process exits. */
export async function hostApi(dataDir: string, serve: ServeProcess, timeoutMs = 20_000): Promise<{ url: string; token: string; api: TestHost['api'] }> {
  let exited: number | string | null | undefined;
  void serve.exit.then((code) => (exited = code));
  let url: string | null = null;
  await waitFor(
    async () => {
      if (exited !== undefined) throw new Error(`serve exited (${String(exited)}) before its API could be reached`);
      const lock = await readLiveLock(dataDir).catch(() => null);
      url = lock?.pid === serve.pid ? lock.url : null;
      return url !== null;
    },
    timeoutMs,
    `serve (pid ${serve.pid}) to record its URL in host.lock`,
    50,
  );
  const token = await readToken(dataDir);
  if (!url || !token) throw new Error(`no URL or token in ${dataDir}`);
  return { url, token, api: apiClient(url, token) };
}
