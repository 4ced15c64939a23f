// Unit tests for the pure parts of the soak (bench/soak/): the seeded generator, the marker
// grouping into main processes, the invariants over a snapshot and over several, the save ledger,
// the agents it runs, its options and its summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentDefinitionSchema } from '../../../shared/agent.js';
// @ts-expect-error -- bench/ is plain JavaScript (ESM) without type declarations
import { createRng } from '../../../bench/soak/rng.mjs';
// @ts-expect-error -- plain JavaScript
import { mainsByName, markedFromProc, treeOf } from '../../../bench/soak/markers.mjs';
// @ts-expect-error -- plain JavaScript
import { createLedger, createSettler, fingerprint, judgeAgent, judgeSnapshot, parseDataFile } from '../../../bench/soak/invariants.mjs';
// @ts-expect-error -- plain JavaScript
import { KIND_CYCLE, nameOf, portAgentCount, SHELL_SCRIPT, soakAgents } from '../../../bench/soak/agents.mjs';
// @ts-expect-error -- plain JavaScript
import { parseOptions } from '../../../bench/soak/options.mjs';
// @ts-expect-error -- plain JavaScript
import { closingLine, iterationLine, passed, percentile, summarize } from '../../../bench/soak/summary.mjs';

const DIR = '/tmp/agent-tray-soak-x/data';

test('createRng: one seed gives one sequence; int stays within its bounds; weighted never picks a weight of 0', () => {
  const a = createRng(42);
  const b = createRng(42);
  const seqA = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(seqA, Array.from({ length: 20 }, () => b.next()));
  assert.notDeepEqual(seqA, Array.from({ length: 20 }, () => createRng(43).next()));
  const r = createRng(7);
  const ints = Array.from({ length: 2000 }, () => r.int(0, 300));
  assert.ok(ints.every((x) => Number.isInteger(x) && x >= 0 && x <= 300));
  assert.ok(ints.includes(0) && ints.includes(300), 'both ends are reached');
  const picks = new Set(Array.from({ length: 500 }, () => r.weighted({ a: 1, b: 0, c: 3 })));
  assert.deepEqual([...picks].sort(), ['a', 'c']);
  assert.throws(() => r.pick([]), /empty/);
  assert.throws(() => r.weighted({ a: 0 }), /weight/);
});

const stat = (pid: number, ppid: number, state = 'S') => `${pid} (node) ${state} ${ppid} ${pid} ${pid} 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 777 1000 2000\n`;

test('markedFromProc: a process marked with the agent and this data directory; another directory, no marker or a zombie is none', () => {
  const env = (name: string, dir: string) => `PATH=/bin\0AGENT_TRAY_AGENT=${name}\0AGENT_TRAY_DATA_DIR=${dir}\0`;
  assert.deepEqual(markedFromProc(env('s01', DIR), stat(501, 1), DIR), { pid: 501, ppid: 1, name: 's01', start: 777 });
  assert.equal(markedFromProc(env('s01', `${DIR}2`), stat(501, 1), DIR), null);
  assert.equal(markedFromProc(`PATH=/bin\0AGENT_TRAY_DATA_DIR=${DIR}\0`, stat(501, 1), DIR), null);
  assert.equal(markedFromProc(env('s01', DIR), stat(501, 1, 'Z'), DIR), null);
});

test('mainsByName: an agent\'s own marked child is not a main process; a reparented copy and a child marked with another name are', () => {
  const procs = [
    { pid: 10, ppid: 1, name: 'script' }, // /bin/sh script
    { pid: 11, ppid: 10, name: 'script' }, // its sleep
    { pid: 20, ppid: 1, name: 'script' }, // a second copy, left by a killed host
    { pid: 30, ppid: 999, name: 'web' }, // under the host
    { pid: 31, ppid: 30, name: 'other' }, // started by web but carrying another agent's name
  ];
  const mains = mainsByName(procs);
  assert.deepEqual(mains.get('script'), [10, 20]);
  assert.deepEqual(mains.get('web'), [30]);
  assert.deepEqual(mains.get('other'), [31]);
  assert.deepEqual(treeOf([...procs, { pid: 12, ppid: 11, name: 'script' }], 10), [10, 11, 12]);
});

test('judgeAgent: running needs exactly the one process the host names; stopped, backoff, crashed need none; two are a duplicate in any state', () => {
  const s = (state: string, pid: number | null = null) => ({ name: 'a', state, pid });
  assert.equal(judgeAgent(s('running', 5), [5]), null);
  assert.equal(judgeAgent(s('running', 5), []).kind, 'running-without-process');
  assert.equal(judgeAgent(s('running', 5), [6]).kind, 'pid-mismatch');
  assert.equal(judgeAgent(s('running', 5), [5, 6]).kind, 'duplicate');
  assert.equal(judgeAgent(s('stopped'), [5, 6]).kind, 'duplicate');
  assert.equal(judgeAgent(s('stopped'), []), null);
  assert.equal(judgeAgent(s('stopped'), [7]).kind, 'process-while-stopped');
  assert.equal(judgeAgent(s('backoff'), [7]).kind, 'process-while-backoff');
  assert.equal(judgeAgent(s('crashed'), [7]).kind, 'process-while-crashed');
  assert.equal(judgeAgent(s('starting'), [7]), null);
  assert.equal(judgeAgent(s('stopping'), []), null);
  assert.deepEqual(judgeAgent(s('stopped'), [7]), { name: 'a', kind: 'process-while-stopped', state: 'stopped', pids: [7], hostPid: null });
});

test('judgeSnapshot: a marked process of a name the host does not know is a stray', () => {
  const problems = judgeSnapshot([{ name: 'a', state: 'running', pid: 1 }], new Map([['a', [1]], ['gone', [9]]]));
  assert.deepEqual(problems, [{ name: 'gone', kind: 'stray', state: 'not configured', pids: [9], hostPid: null }]);
});

test('createSettler: a momentary gap clears itself, a lasting one stays open, a duplicate counts at first sight', () => {
  const settler = createSettler();
  const gap = { name: 'flaky', kind: 'running-without-process', state: 'running', pids: [], hostPid: 4 };
  const lost = { name: 'script', kind: 'process-while-stopped', state: 'stopped', pids: [8], hostPid: null };
  const dup = { name: 'web', kind: 'duplicate', state: 'running', pids: [5, 6], hostPid: 5 };
  const names = ['flaky', 'script', 'web', 'ok'];
  settler.feed([gap, lost, dup], names);
  assert.equal(settler.clear, false);
  settler.feed([lost], names); // flaky agrees now, web's second copy is gone
  settler.feed([gap, lost], names); // once settled, flaky stays settled
  assert.deepEqual(settler.violations(), [dup, lost]);
  const fine = createSettler();
  fine.feed([gap], names);
  fine.feed([], names);
  assert.equal(fine.clear, true);
  assert.deepEqual(fine.violations(), []);
});

test('createLedger: an acknowledged save must be on disk; one without an answer may or may not be; the file is the truth afterwards', () => {
  const def = (name: string, rev?: string) => ({ name, env: rev ? { SOAK_REV: rev } : {} });
  const ledger = createLedger([def('a'), def('b')]);
  assert.equal(fingerprint(def('a')), 'rev:0');
  assert.equal(fingerprint(undefined), 'absent');
  ledger.begin('a', 'rev:1');
  ledger.ack('a', 'rev:1');
  ledger.begin('b', 'rev:2'); // no answer
  ledger.begin('x1', 'rev:3'); // a create without an answer
  assert.deepEqual(ledger.check([def('a', '1'), def('b')]), []);
  ledger.begin('a', 'rev:4');
  ledger.ack('a', 'rev:4');
  ledger.begin('x2', 'rev:5');
  ledger.ack('x2', 'rev:5');
  assert.deepEqual(ledger.check([def('a', '1'), def('b', '2')]), [
    { name: 'a', expected: ['rev:4'], found: 'rev:1' },
    { name: 'b', expected: ['rev:0'], found: 'rev:2' },
    { name: 'x2', expected: ['rev:5'], found: 'absent' },
  ]);
  // counted once: the file is now what is expected
  assert.deepEqual(ledger.check([def('a', '1'), def('b', '2')]), []);
  ledger.begin('a', 'absent');
  ledger.ack('a', 'absent');
  assert.deepEqual(ledger.check([def('b', '2')]), []);
});

test('parseDataFile: absent is fine, an empty or torn file is not', () => {
  assert.deepEqual(parseDataFile(null), { present: false, ok: true });
  assert.deepEqual(parseDataFile('{"agents":[]}'), { present: true, ok: true, value: { agents: [] } });
  const empty = parseDataFile('');
  assert.equal(empty.ok, false);
  assert.match(empty.error, /the file is empty/);
  assert.equal(parseDataFile('{"agents":[{"na').ok, false);
});

test('soakAgents: every kind within the first ten, a port for each port agent, and each definition valid for agents.json', () => {
  assert.equal(new Set(KIND_CYCLE).size, 5);
  const agents = soakAgents(30, { node: '/usr/bin/node', scriptDir: '/tmp/s', ports: [4001, 4002, 4003] });
  assert.equal(portAgentCount(30), 3);
  assert.equal(agents.length, 30);
  assert.equal(new Set(agents.map((a: { name: string }) => a.name)).size, 30);
  assert.deepEqual(agents.filter((a: { port?: number }) => a.port).map((a: { port: number; env: Record<string, string> }) => [a.port, a.env.PORT]), [[4001, '4001'], [4002, '4002'], [4003, '4003']]);
  assert.equal(agents[1].command, '/tmp/s/soak-agent.sh');
  assert.equal(nameOf(1), 's01-script');
  assert.equal(agents[2].restart.policy, 'on-failure');
  for (const a of agents) assert.ok(AgentDefinitionSchema.safeParse(a).success, `${a.name} is a valid definition`);
  assert.match(SHELL_SCRIPT, /^#!\/bin\/sh\n/);
  assert.throws(() => soakAgents(4, { node: 'node', scriptDir: '/tmp', ports: [] }), /needs a port/);
});

test('parseOptions: defaults, the flags, and errors that name the option', () => {
  const defaults = { defaultOut: '/r/soak-latest.json', randomSeed: () => 99 };
  assert.deepEqual(parseOptions([], defaults), { agents: 30, iterations: 50, seed: 99, settleMs: 4000, source: false, out: '/r/soak-latest.json', keep: false, help: false });
  const o = parseOptions(['--agents', '10', '--iterations', '8', '--seed', '0', '--source', '--out', 'x.json', '--keep', '--settle-ms', '100'], defaults);
  assert.deepEqual(o, { agents: 10, iterations: 8, seed: 0, settleMs: 100, source: true, out: 'x.json', keep: true, help: false });
  assert.throws(() => parseOptions(['--agents', '0'], defaults), /--agents takes an integer of at least 1, not "0"/);
  assert.throws(() => parseOptions(['--iterations'], defaults), /--iterations needs a value/);
  assert.throws(() => parseOptions(['--bogus'], defaults), /unknown option --bogus/);
});

test('summary: percentile, counts per phase and kind, the iteration line, and the closing line', () => {
  assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
  assert.equal(percentile([10, 20], 50), 10);
  assert.equal(percentile([], 50), null);
  const base = { delayMs: 120, restartMs: 800, violations: [], lostSaves: [], unparsable: [], stillUnparsable: [], leftover: 0, killed: 0, saves: { acked: 0, unanswered: 0, refused: 0 }, running: 3, total: 3, after: 'stop-all' };
  const ok = { ...base, iteration: 1, action: 'stop-all', actionDone: true };
  const dup = { ...base, iteration: 2, action: 'start-all', actionDone: false, restartMs: 1200, killed: 1, violations: [{ name: 's01-script', kind: 'duplicate', state: 'running', pids: [7, 8], hostPid: 7 }] };
  const lost = { ...base, iteration: 3, action: 'saves', actionDone: false, saves: { acked: 2, unanswered: 1, refused: 0 }, lostSaves: [{ name: 'x1', expected: ['rev:3'], found: 'absent' }], unparsable: [{ file: 'agents.json.bak', error: 'empty' }] };
  assert.equal(passed(ok), true);
  assert.equal(passed(dup), false);
  assert.match(iterationLine(ok, 50), /^\[ 1\/50\] stop-all {2}kill at 120 ms \(after it answered\): ok; host up in 800 ms, 3\/3 running, then stop-all$/);
  assert.match(iterationLine(dup, 50), /FAIL duplicate x1: s01-script \(host: running pid 7; pids 7,8\)/);
  assert.match(iterationLine(lost, 50), /\(2 saves answered, 1 not\): FAIL lost save x1 \(expected rev:3, found absent\); unparsable agents.json.bak: empty/);
  const many = { ...base, iteration: 4, action: 'start-all', actionDone: false, violations: ['s0', 's1', 's2', 's3'].map((name, i) => ({ name, kind: 'process-while-stopped', state: 'stopped', pids: [100 + i], hostPid: null })) };
  assert.match(iterationLine(many, 50), /FAIL process-while-stopped x4: s0 \(host: stopped; pids 100\), s1 \(host: stopped; pids 101\), s2 \(host: stopped; pids 102\), …;/);
  const s = summarize([ok, dup, lost], { leftoverAtEnd: 0, durationS: 12 });
  assert.equal(s.iterations, 3);
  assert.equal(s.passed, 1);
  assert.equal(s.failed, 2);
  assert.deepEqual(s.killsPerPhase, { 'stop-all': { kills: 1, duringAction: 0 }, 'start-all': { kills: 1, duringAction: 1 }, saves: { kills: 1, duringAction: 1 } });
  assert.equal(s.duplicates, 1);
  assert.equal(s.lostSaves, 1);
  assert.equal(s.unparsableFiles, 1);
  assert.equal(s.escapedProcessesKilled, 1);
  assert.deepEqual(s.hostRestartMs, { p50: 800, max: 1200, count: 3 });
  assert.equal(closingLine(s), '1 passed, 2 failed');
});
