// `agent-tray serve` from the built dist/, run by the Windows node.exe under Wine over a data
// directory in the test's temp dir (seen as Z:\...). Its stdout and stderr are files: a Linux pipe
// makes node.exe die with EBADF, and Windows children would inherit it. Found through the line it
// prints in its output file; driven over its REST API with Node's fetch from Linux.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wineEnv, winPath } from '../../helpers/wine.js';
import { waitFor } from '../../helpers/wait.js';
import { trackLinux } from './ended.js';

const CLI = fileURLToPath(new URL('../../../bin/agent-tray.js', import.meta.url));

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  body: any;
}

export interface LaneHost {
  /** The Linux pid of the Wine process that is node.exe (Wine's loader execs into it: one pid). */
  linuxPid: number;
  /** The Windows pid, from host.lock. */
  windowsPid: number;
  url: string;
  outFile: string;
  errFile: string;
  /** Resolves with the exit code, or the signal's name. */
  exit: Promise<number | string | null>;
  api: (method: string, urlPath: string, body?: unknown) => Promise<ApiAnswer>;
  /** Its output so far (for failure messages). */
  output: () => string;
}

/** Reads a file, '' when it is not there (yet). */
function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Starts `wine node.exe bin/agent-tray.js serve --data-dir Z:\... --port 0`; waits until it prints its URL. `tag` names its output files. */
export async function startLaneHost(nodeExe: string, dataDir: string, tag: string, timeoutMs = 60_000): Promise<LaneHost> {
  const outFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-${tag}.out.log`);
  const errFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-${tag}.err.log`);
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const env = wineEnv();
  delete env.AGENT_TRAY_WIN_HELPER; // the host finds dist/native/agent-tray-helper.exe itself, as it would in a checkout
  const child = spawn('wine', [nodeExe, winPath(CLI), 'serve', '--data-dir', winPath(dataDir), '--port', '0'], { stdio: ['ignore', out, err], env });
  closeSync(out);
  closeSync(err);
  trackLinux(child.pid);
  let exited: number | string | null | undefined;
  const exit = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve((exited = signal ?? code))));
  child.once('error', () => undefined);
  const output = (): string => `stdout:\n${readOr(outFile)}\nstderr:\n${readOr(errFile)}`;

  let match: RegExpExecArray | null = null;
  await waitFor(
    () => {
      if (exited !== undefined) throw new Error(`agent-tray serve under Wine exited (${String(exited)}) before it listened\n${output()}`);
      match = /listening on (http:\/\/[^/\s]+)\/\?token=(\S+)/.exec(readOr(outFile));
      return match !== null;
    },
    timeoutMs,
    `agent-tray serve under Wine to print its URL\n${output()}`,
    100,
  );
  const [, url = '', token = ''] = match as unknown as RegExpExecArray;
  const lock = JSON.parse(readFileSync(path.join(dataDir, 'host.lock'), 'utf8')) as { pid: number };
  const api: LaneHost['api'] = async (method, urlPath, body) => {
    const res = await fetch(url + urlPath, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) as unknown };
    } catch {
      return { status: res.status, body: text };
    }
  };
  return { linuxPid: child.pid as number, windowsPid: lock.pid, url, outFile, errFile, exit, api, output };
}

/** Kills the host the hard way (SIGKILL of its Linux pid: no handler, no shutdown, like a crash) after checking that pid is still node.exe; resolves when it is gone. */
export async function killHostHard(host: LaneHost): Promise<void> {
  const cmdline = readOr(`/proc/${host.linuxPid}/cmdline`).split('\0')[0] ?? '';
  if (!/node\.exe$/i.test(cmdline)) throw new Error(`Linux pid ${host.linuxPid} is not the host's node.exe any more (${cmdline || 'gone'})`);
  process.kill(host.linuxPid, 'SIGKILL');
  await host.exit;
}
