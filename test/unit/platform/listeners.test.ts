// Unit tests for the listening-socket parsers on recorded output: Linux /proc/net/tcp{,6}, Windows netstat, macOS lsof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLsof, parseNetstat, parseProcNetTcp } from '../../../electron/core/platform/listeners.js';

// Recorded on Linux 6.x: a listener on 0.0.0.0:2024 and 127.0.0.1:11434, a connection to it, a TIME_WAIT without inode.
const PROC_NET_TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ',
  '   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1145 1 0000000019c238b0 100 0 0 10 0                      ',
  '   1: 0100007F:2CAA 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 88231 1 00000000a1b2c3d4 100 0 0 10 0                     ',
  '   2: 0100007F:2CAA 0100007F:CC4C 01 00000000:00000000 00:00000000 00000000  1000        0 90412 1 00000000fb74a62b 20 4 30 10 -1                    ',
  '   3: 0100007F:8571 0100007F:947E 06 00000000:00000000 03:0000005B 00000000     0        0 0 3 000000009138321f                                      ',
  '   4: 1701A8C0:D6D8 19705C8C:01BB 01 00000000:00000000 02:000A7B2F 00000000  1000        0 91877 2 00000000e0f1a2b3 23 4 28 10 -1                    ',
  '',
].join('\n');

// Recorded on Linux 6.x: listeners on :: (dual stack), ::1, ::ffff:127.0.0.1, plus a global and a link-local address.
const PROC_NET_TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000000000000000000001000000:830F 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 172098 1 0000000004a5d49f 100 0 0 10 0',
  '   1: 00000000000000000000000000000000:9EE7 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 172097 1 000000004724249c 100 0 0 10 0',
  '   2: 0000000000000000FFFF00000100007F:9211 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 172099 1 00000000bfedfcb4 100 0 0 10 0',
  '   3: B80D0120000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 172311 1 00000000c0ffee00 100 0 0 10 0',
  '   4: 000080FE000000004F3E2D1C8D7C6B5A:0016 000080FE00000000AB0000CD01EF2300:C350 01 00000000:00000000 02:00092A10 00000000     0        0 172400 2 00000000deadbeef 21 4 30 10 -1',
  '',
].join('\n');

test('parseProcNetTcp decodes little-endian IPv4 addresses, hex ports, states and inodes', () => {
  assert.deepEqual(parseProcNetTcp(PROC_NET_TCP, 4), [
    { address: '0.0.0.0', port: 2024, state: '0A', inode: 1145 },
    { address: '127.0.0.1', port: 11434, state: '0A', inode: 88231 },
    { address: '127.0.0.1', port: 11434, state: '01', inode: 90412 },
    { address: '127.0.0.1', port: 34161, state: '06', inode: 0 },
    { address: '192.168.1.23', port: 55000, state: '01', inode: 91877 },
  ]);
});

test('parseProcNetTcp decodes IPv6: ::, ::1, an IPv4-mapped address, global and link-local addresses', () => {
  assert.deepEqual(parseProcNetTcp(PROC_NET_TCP6, 6), [
    { address: '::1', port: 33551, state: '0A', inode: 172098 },
    { address: '::', port: 40679, state: '0A', inode: 172097 },
    { address: '::ffff:127.0.0.1', port: 37393, state: '0A', inode: 172099 },
    { address: '2001:db8::1', port: 8080, state: '0A', inode: 172311 },
    { address: 'fe80::1c2d:3e4f:5a6b:7c8d', port: 22, state: '01', inode: 172400 },
  ]);
});

test('parseProcNetTcp compresses only the first longest run of two or more zero groups', () => {
  const line = (hex: string) => `   0: ${hex}:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1 0 100 0 0 10 0`;
  // 2001:db8:0:0:1:0:0:1 and 2001:db8:0:1:1:1:1:1
  const [tie, single] = parseProcNetTcp([line('B80D0120000000000000010001000000'), line('B80D0120010000000100010001000100')].join('\n'), 6);
  assert.equal(tie?.address, '2001:db8::1:0:0:1');
  assert.equal(single?.address, '2001:db8:0:1:1:1:1:1');
});

test('parseProcNetTcp reads an empty table (header only) and empty text as no sockets', () => {
  assert.deepEqual(parseProcNetTcp(PROC_NET_TCP6.split('\n')[0] ?? '', 6), []);
  assert.deepEqual(parseProcNetTcp('', 4), []);
});

test('parseProcNetTcp rejects a malformed line, naming it', () => {
  assert.throws(() => parseProcNetTcp('   0: 0100007F 00000000:0000 0A', 4), /malformed \/proc\/net\/tcp line/);
  assert.throws(() => parseProcNetTcp(PROC_NET_TCP, 6), /malformed \/proc\/net\/tcp6 address/);
});

// Recorded on Windows 11 (English): `netstat -ano -p tcp` and `netstat -ano -p tcpv6`, CRLF line ends.
const NETSTAT_TCP = [
  '',
  'Active Connections',
  '',
  '  Proto  Local Address          Foreign Address        State           PID',
  '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1136',
  '  TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       4',
  '  TCP    0.0.0.0:11434          0.0.0.0:0              LISTENING       15872',
  '  TCP    127.0.0.1:3000         0.0.0.0:0              LISTENING       20484',
  '  TCP    127.0.0.1:3000         127.0.0.1:51234        ESTABLISHED     20484',
  '  TCP    127.0.0.1:51234        127.0.0.1:3000         ESTABLISHED     9876',
  '  TCP    192.168.1.23:139       0.0.0.0:0              LISTENING       4',
  '  TCP    192.168.1.23:52344     140.82.112.25:443      ESTABLISHED     11220',
  '  TCP    192.168.1.23:52345     20.190.160.1:443       TIME_WAIT       0',
  '',
].join('\r\n');

const NETSTAT_TCPV6 = [
  '',
  'Active Connections',
  '',
  '  Proto  Local Address          Foreign Address        State           PID',
  '  TCP    [::]:135               [::]:0                 LISTENING       1136',
  '  TCP    [::]:445               [::]:0                 LISTENING       4',
  '  TCP    [::1]:8000             [::]:0                 LISTENING       20484',
  '  TCP    [::1]:8000             [::1]:51240            ESTABLISHED     20484',
  '  TCP    [fe80::5d2a:9b1c:3e4f:a7b8%12]:2869  [::]:0                 LISTENING       4',
  '',
].join('\r\n');

test('parseNetstat keeps the LISTENING lines of IPv4 output with their pids', () => {
  assert.deepEqual(parseNetstat(NETSTAT_TCP), [
    { address: '0.0.0.0', port: 135, family: 4, pid: 1136 },
    { address: '0.0.0.0', port: 445, family: 4, pid: 4 },
    { address: '0.0.0.0', port: 11434, family: 4, pid: 15872 },
    { address: '127.0.0.1', port: 3000, family: 4, pid: 20484 },
    { address: '192.168.1.23', port: 139, family: 4, pid: 4 },
  ]);
});

test('parseNetstat reads bracketed IPv6 addresses, [::] and zone ids', () => {
  assert.deepEqual(parseNetstat(NETSTAT_TCPV6), [
    { address: '::', port: 135, family: 6, pid: 1136 },
    { address: '::', port: 445, family: 6, pid: 4 },
    { address: '::1', port: 8000, family: 6, pid: 20484 },
    { address: 'fe80::5d2a:9b1c:3e4f:a7b8%12', port: 2869, family: 6, pid: 4 },
  ]);
});

test('parseNetstat reads both outputs concatenated', () => {
  assert.equal(parseNetstat(NETSTAT_TCP + NETSTAT_TCPV6).length, 9);
});

test('parseNetstat recognises listeners on a non-English Windows by their unconnected foreign address', () => {
  // Recorded on Windows 10 (German), OEM code page output decoded as UTF-8: "ABHÖREN" has lost its Ö.
  const german = [
    '',
    'Aktive Verbindungen',
    '',
    '  Proto  Lokale Adresse         Remoteadresse          Status           PID',
    '  TCP    0.0.0.0:135            0.0.0.0:0              ABH\uFFFDREN         1044',
    '  TCP    127.0.0.1:8080         0.0.0.0:0              ABH\uFFFDREN         7312',
    '  TCP    127.0.0.1:8080         127.0.0.1:50011        HERGESTELLT     7312',
    '  TCP    [::]:135               [::]:0                 ABH\uFFFDREN         1044',
    '',
  ].join('\r\n');
  assert.deepEqual(parseNetstat(german), [
    { address: '0.0.0.0', port: 135, family: 4, pid: 1044 },
    { address: '127.0.0.1', port: 8080, family: 4, pid: 7312 },
    { address: '::', port: 135, family: 6, pid: 1044 },
  ]);
});

test('parseNetstat gives pid null for PID 0 and ignores BOUND and UDP lines and text', () => {
  const text = [
    '  TCP    0.0.0.0:7680           0.0.0.0:0              LISTENING       0',
    '  TCP    192.168.1.23:52400     0.0.0.0:0              BOUND           11220',
    '  UDP    0.0.0.0:5353           *:*                                    2932',
    'The requested operation requires elevation.',
  ].join('\r\n');
  assert.deepEqual(parseNetstat(text), [{ address: '0.0.0.0', port: 7680, family: 4, pid: null }]);
  assert.deepEqual(parseNetstat(''), []);
});

// Recorded on macOS 14 as a user: `lsof -nP -iTCP -sTCP:LISTEN`. A uvicorn parent and worker share one socket;
// one process holds the same socket in two descriptors; command names with spaces are escaped as \x20.
const LSOF = [
  'COMMAND     PID  USER   FD   TYPE             DEVICE SIZE/OFF NODE NAME',
  'rapportd    583 alice    8u  IPv4 0x6f0e2b7c1d3a4e51      0t0  TCP *:49152 (LISTEN)',
  'rapportd    583 alice    9u  IPv6 0x6f0e2b7c1a9b8c72      0t0  TCP *:49152 (LISTEN)',
  'ControlCe   612 alice    8u  IPv4 0x6f0e2b7c1d3a5f13      0t0  TCP *:7000 (LISTEN)',
  'ollama     1204 alice    3u  IPv4 0x6f0e2b7c1d3b6a95      0t0  TCP 127.0.0.1:11434 (LISTEN)',
  'node      48213 alice   21u  IPv6 0x6f0e2b7c1a9bae56      0t0  TCP [::1]:5173 (LISTEN)',
  'node      48213 alice   22u  IPv6 0x6f0e2b7c1a9bae56      0t0  TCP [::1]:5173 (LISTEN)',
  'Python    48377 alice    4u  IPv4 0x6f0e2b7c1d3c7b17      0t0  TCP 127.0.0.1:8000 (LISTEN)',
  'Python    48380 alice    4u  IPv4 0x6f0e2b7c1d3c7b17      0t0  TCP 127.0.0.1:8000 (LISTEN)',
  'Code\\x20H  1999   501   40u  IPv4 0x6f0e2b7c1d3d8c28      0t0  TCP 127.0.0.1:61234 (LISTEN)',
  'java      2210 alice  112u  IPv6 0x6f0e2b7c1a9bbf19      0t0  TCP [::ffff:127.0.0.1]:9092 (LISTEN)',
  '',
].join('\n');

test('parseLsof reads wildcard, IPv4, IPv6 and mapped listeners with their pids', () => {
  assert.deepEqual(parseLsof(LSOF), [
    { address: '0.0.0.0', port: 49152, family: 4, pid: 583 },
    { address: '::', port: 49152, family: 6, pid: 583 },
    { address: '0.0.0.0', port: 7000, family: 4, pid: 612 },
    { address: '127.0.0.1', port: 11434, family: 4, pid: 1204 },
    { address: '::1', port: 5173, family: 6, pid: 48213 },
    { address: '127.0.0.1', port: 8000, family: 4, pid: 48377 },
    { address: '127.0.0.1', port: 8000, family: 4, pid: 48380 },
    { address: '127.0.0.1', port: 61234, family: 4, pid: 1999 },
    { address: '::ffff:127.0.0.1', port: 9092, family: 6, pid: 2210 },
  ]);
});

test('parseLsof ignores connections and empty output (lsof found nothing)', () => {
  const text = [
    'COMMAND   PID  USER   FD   TYPE             DEVICE SIZE/OFF NODE NAME',
    'node    48213 alice   23u  IPv4 0x6f0e2b7c1d3e9d39      0t0  TCP 127.0.0.1:5173->127.0.0.1:50123 (ESTABLISHED)',
  ].join('\n');
  assert.deepEqual(parseLsof(text), []);
  assert.deepEqual(parseLsof(''), []);
});
