// Which processes listen on which TCP ports: /proc on Linux, netstat on Windows, lsof on macOS; with the pure parsers of each.
import { runCommand } from './run-command.js';
import { readdir, readFile, readlink } from 'node:fs/promises';

export interface TcpListener {
  port: number;
  /** Dotted IPv4 or compressed IPv6 (`::ffff:a.b.c.d` for an IPv4-mapped address); `0.0.0.0` / `::` for every address. */
  address: string;
  family: 4 | 6;
  /** The process holding the socket, or null when it cannot be told (another user's process, another pid namespace). */
  pid: number | null;
}

/** One socket of /proc/net/tcp or /proc/net/tcp6. */
export interface ProcNetTcpEntry {
  address: string;
  port: number;
  /** Two upper-case hex digits; '0A' is LISTEN. */
  state: string;
  /** The socket's inode, as in the `socket:[INODE]` links of /proc/<pid>/fd; 0 when the kernel gives none. */
  inode: number;
}

/** The TCP state of a listening socket in /proc/net/tcp{,6}. */
const LISTEN_STATE = '0A';

/** Processes whose /proc/<pid>/fd are read at the same time. */
const FD_SCAN_BATCH = 32;

/** Converts one 32-bit word written by the kernel as 8 hex digits in host (little-endian) order into its 4 bytes in network order. */
function wordBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let i = 6; i >= 0; i -= 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

/** Compresses eight 16-bit groups as RFC 5952 says: lower case, no leading zeros, the longest run (>= 2) of zero groups as `::`. */
function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = groups.map((g) => g.toString(16));
  if (bestLength < 2) return text.join(':');
  return `${text.slice(0, bestStart).join(':')}::${text.slice(bestStart + bestLength).join(':')}`;
}

/** Formats 16 bytes as an IPv6 address; IPv4-mapped addresses as `::ffff:a.b.c.d`. */
function formatIpv6(bytes: number[]): string {
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return compressIpv6(groups);
}

/** Decodes the hex address of /proc/net/tcp (8 digits) or /proc/net/tcp6 (32 digits). */
function decodeProcAddress(hex: string, family: 4 | 6): string {
  const digits = family === 4 ? 8 : 32;
  if (hex.length !== digits || !/^[0-9A-Fa-f]+$/.test(hex)) {
    throw new Error(`malformed /proc/net/tcp${family === 6 ? '6' : ''} address: ${JSON.stringify(hex)}`);
  }
  const bytes: number[] = [];
  for (let i = 0; i < digits; i += 8) bytes.push(...wordBytes(hex.slice(i, i + 8)));
  return family === 4 ? bytes.join('.') : formatIpv6(bytes);
}

/** Parses /proc/net/tcp (family 4) or /proc/net/tcp6 (family 6): every socket with its local address, port, state and inode. */
export function parseProcNetTcp(text: string, family: 4 | 6): ProcNetTcpEntry[] {
  const entries: ProcNetTcpEntry[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
    if (!fields[0] || !/^\d+:$/.test(fields[0])) continue; // the header line and blank lines
    const [local, state, inode] = [fields[1], fields[3], fields[9]];
    const colon = local?.lastIndexOf(':') ?? -1;
    if (local === undefined || colon < 0 || state === undefined || inode === undefined || !/^\d+$/.test(inode)) {
      throw new Error(`malformed /proc/net/tcp${family === 6 ? '6' : ''} line: ${JSON.stringify(raw.trim())}`);
    }
    entries.push({
      address: decodeProcAddress(local.slice(0, colon), family),
      port: parseInt(local.slice(colon + 1), 16),
      state: state.toUpperCase(),
      inode: Number(inode),
    });
  }
  return entries;
}

/** Splits `host:port` or `[v6]:port` as netstat and lsof print them; `*` stands for every address of the family. */
function splitHostPort(text: string, family: 4 | 6): { address: string; port: number } | null {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return null;
  const portText = text.slice(colon + 1);
  if (!/^\d+$/.test(portText)) return null;
  let host = text.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === '*') host = family === 4 ? '0.0.0.0' : '::';
  return { address: host.toLowerCase(), port: Number(portText) };
}

/** True for the foreign address netstat prints for a listening socket: `0.0.0.0:0` or `[::]:0`. */
function isUnconnected(foreign: string): boolean {
  return foreign === '0.0.0.0:0' || foreign === '[::]:0' || foreign === '*:*';
}

/**
 * Parses `netstat -ano -p tcp` / `-p tcpv6` output of Windows (either, or both concatenated) into its listening sockets.
 * The state column is translated on non-English Windows ("ABHÖREN"), so a socket also counts as listening when its
 * foreign address is the unconnected `0.0.0.0:0` / `[::]:0`. PID 0 (no owner) gives pid null.
 */
export function parseNetstat(text: string): TcpListener[] {
  const listeners: TcpListener[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/);
    if (fields.length < 5 || fields[0]?.toUpperCase() !== 'TCP') continue;
    const [, local = '', foreign = '', state = '', pidText = ''] = fields;
    const upper = state.toUpperCase();
    if (upper === 'BOUND' || (upper !== 'LISTENING' && !isUnconnected(foreign))) continue; // BOUND: bound, not listening
    const family = local.startsWith('[') ? 6 : 4;
    const hostPort = splitHostPort(local, family);
    if (!hostPort || !/^\d+$/.test(pidText)) continue;
    const pid = Number(pidText);
    listeners.push({ ...hostPort, family, pid: pid > 0 ? pid : null });
  }
  return listeners;
}

const LSOF_LINE = /^\S+\s+(\d+)\s.*?\s(IPv[46])\s.*\sTCP\s+(\S+)\s+\(LISTEN\)\s*$/;

/**
 * Parses `lsof -nP -iTCP -sTCP:LISTEN` output of macOS. A socket shared by several processes (a forked server)
 * appears once per process; the same socket within one process (dup'ed descriptors) is listed once.
 */
export function parseLsof(text: string): TcpListener[] {
  const listeners: TcpListener[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const match = LSOF_LINE.exec(raw);
    if (!match) continue; // the header and anything that is not a listening TCP socket
    const [, pidText = '', type, name = ''] = match;
    const family = type === 'IPv6' ? 6 : 4;
    const hostPort = splitHostPort(name, family);
    if (!hostPort) continue;
    const listener: TcpListener = { ...hostPort, family, pid: Number(pidText) };
    const key = `${listener.pid} ${family} ${listener.address} ${listener.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    listeners.push(listener);
  }
  return listeners;
}

/** Runs a command without a window and with C-locale output. */
function run(command: string, args: string[], allowedExitCodes: number[] = [], timeoutMs = 15_000): Promise<string> {
  return runCommand(command, args, { allowedExitCodes, timeoutMs });
}

/** Reads a /proc/net file; a missing file (no IPv6 in this kernel) is an empty table. */
async function readProcNet(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** The socket inodes among `wanted` that process `pid` holds; nothing for a process we may not read or that is gone. */
async function socketInodesOf(pid: number, wanted: Set<number>): Promise<number[]> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return []; // EACCES (another user's process), ENOENT (exited)
  }
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  const inodes: number[] = [];
  for (const link of links) {
    if (!link.startsWith('socket:[')) continue;
    const inode = Number(link.slice(8, -1));
    if (wanted.has(inode)) inodes.push(inode);
  }
  return inodes;
}

/** Maps socket inodes to the (lowest-numbered) pid holding them by reading /proc/<pid>/fd; stops once every inode is found. */
async function pidsOfInodes(inodes: Set<number>): Promise<Map<number, number>> {
  const owners = new Map<number, number>();
  if (inodes.size === 0) return owners;
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
  for (let i = 0; i < pids.length && owners.size < inodes.size; i += FD_SCAN_BATCH) {
    const batch = pids.slice(i, i + FD_SCAN_BATCH);
    const found = await Promise.all(batch.map((pid) => socketInodesOf(pid, inodes)));
    batch.forEach((pid, k) => {
      for (const inode of found[k] ?? []) if (!owners.has(inode)) owners.set(inode, pid);
    });
  }
  return owners;
}

/** Listening sockets on Linux from /proc/net/tcp{,6}, optionally on one port, with their pids from /proc/<pid>/fd. No process is spawned. */
async function linuxListeners(port?: number): Promise<TcpListener[]> {
  const [tcp4, tcp6] = await Promise.all([readProcNet('/proc/net/tcp'), readProcNet('/proc/net/tcp6')]);
  const sockets = [
    ...parseProcNetTcp(tcp4, 4).map((entry) => ({ ...entry, family: 4 as const })),
    ...parseProcNetTcp(tcp6, 6).map((entry) => ({ ...entry, family: 6 as const })),
  ].filter((s) => s.state === LISTEN_STATE && (port === undefined || s.port === port));
  const owners = await pidsOfInodes(new Set(sockets.map((s) => s.inode).filter((inode) => inode > 0)));
  return sockets.map((s) => ({ port: s.port, address: s.address, family: s.family, pid: owners.get(s.inode) ?? null }));
}

/** Listening sockets on Windows: `netstat -ano` for IPv4 and IPv6, run at the same time. */
async function windowsListeners(): Promise<TcpListener[]> {
  const outputs = await Promise.all([run('netstat.exe', ['-ano', '-p', 'tcp']), run('netstat.exe', ['-ano', '-p', 'tcpv6'])]);
  return outputs.flatMap(parseNetstat);
}

/**
 * Listening sockets on macOS (and other systems with lsof), optionally on one port. lsof exits 1 when nothing
 * matches: an empty list. Without root, lsof on macOS shows only the current user's processes.
 */
async function lsofListeners(platform: NodeJS.Platform, port?: number): Promise<TcpListener[]> {
  const lsof = platform === 'darwin' ? '/usr/sbin/lsof' : 'lsof'; // a Finder-started app has no /usr/local/bin in PATH
  const selection = port === undefined ? '-iTCP' : `-iTCP:${port}`;
  const listeners = parseLsof(await run(lsof, ['-nP', selection, '-sTCP:LISTEN'], [1]));
  return port === undefined ? listeners : listeners.filter((l) => l.port === port);
}

/** Every listening TCP socket (IPv4 and IPv6) with the pid that holds it where the platform tells. */
export async function listTcpListeners(platform: NodeJS.Platform = process.platform): Promise<TcpListener[]> {
  if (platform === 'linux') return linuxListeners();
  if (platform === 'win32') return windowsListeners();
  return lsofListeners(platform);
}

/** The listening TCP sockets on one port, on any address; on Linux only their sockets' owners are looked up. */
export async function listenersOnPort(port: number, platform: NodeJS.Platform = process.platform): Promise<TcpListener[]> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`not a TCP port: ${port}`);
  if (platform === 'linux') return linuxListeners(port);
  if (platform === 'win32') return (await windowsListeners()).filter((l) => l.port === port);
  return lsofListeners(platform, port);
}
