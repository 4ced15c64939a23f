// Unit tests for the pure parts of the benchmark (bench/lib): /proc parsers, statistics, and the
// Markdown table and SVG chart it writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- bench/ is plain JavaScript (ESM) without type declarations
import { envValue, parseStat, parseVmRssKb } from '../../../bench/lib/procfs.mjs';
// @ts-expect-error -- plain JavaScript
import { metricSummary, ratio, summarize } from '../../../bench/lib/stats.mjs';
// @ts-expect-error -- plain JavaScript
import { cellText, evaluateTarget, fmt, niceStep, renderMarkdown, renderSvg, ROWS } from '../../../bench/lib/report.mjs';

test('parseStat reads state, ppid, utime, stime and starttime after a command name with spaces and parentheses', () => {
  const fields = ['S', '1', '4242', '4242', '0', '-1', '4194560', '100', '0', '0', '0', '1234', '567', '0', '0', '20', '0', '1', '0', '987654'];
  const line = `4242 (node (a) b) ${fields.join(' ')} 1000 2000\n`;
  const s = parseStat(line);
  assert.equal(s.pid, 4242);
  assert.equal(s.comm, 'node (a) b');
  assert.equal(s.state, 'S');
  assert.equal(s.ppid, 1);
  assert.equal(s.utime, 1234);
  assert.equal(s.stime, 567);
  assert.equal(s.starttime, 987654);
  assert.throws(() => parseStat('garbage'), /not a \/proc/);
});

test('parseVmRssKb reads VmRSS and gives null without it (a zombie)', () => {
  assert.equal(parseVmRssKb('Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t   51234 kB\nThreads:\t7\n'), 51234);
  assert.equal(parseVmRssKb('Name:\tnode\nState:\tZ (zombie)\n'), null);
});

test('envValue finds one variable of a NUL-separated environment', () => {
  const env = 'PATH=/bin\0AGENT_TRAY_BENCH=run1:a0\0AGENT_TRAY_BENCH_X=no\0';
  assert.equal(envValue(env, 'AGENT_TRAY_BENCH'), 'run1:a0');
  assert.equal(envValue(env, 'HOME'), null);
});

test('summarize: median of odd and even counts, min, max; non-numbers ignored; null when empty', () => {
  assert.deepEqual(summarize([3, 1, 2]), { median: 2, min: 1, max: 3, count: 3 });
  assert.deepEqual(summarize([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4, count: 4 });
  assert.deepEqual(summarize([null, 5, Number.NaN, undefined]), { median: 5, min: 5, max: 5, count: 1 });
  assert.equal(summarize([]), null);
  assert.equal(ratio({ median: 3 }, { median: 2 }), 1.5);
  assert.equal(ratio({ median: 3 }, { median: 0 }), null);
  assert.equal(ratio(null, { median: 2 }), null);
});

test('metricSummary picks one tool, scenario, N and metric, and only runs that worked', () => {
  const samples = [
    { tool: 'floor', scenario: 'start', n: 20, ok: true, metrics: { startMs: 100 } },
    { tool: 'floor', scenario: 'start', n: 20, ok: true, metrics: { startMs: 300 } },
    { tool: 'floor', scenario: 'start', n: 20, ok: false, metrics: {} },
    { tool: 'floor', scenario: 'start', n: 100, ok: true, metrics: { startMs: 900 } },
    { tool: 'pm2', scenario: 'start', n: 20, ok: true, metrics: { startMs: 5 } },
  ];
  assert.deepEqual(metricSummary(samples, { tool: 'floor', scenario: 'start', n: 20, metric: 'startMs' }), { median: 200, min: 100, max: 300, count: 2 });
});

test('fmt, cellText and niceStep', () => {
  assert.equal(fmt(123.4), '123');
  assert.equal(fmt(12.34), '12.3');
  assert.equal(fmt(1.234), '1.23');
  assert.equal(fmt(0.1234), '0.123');
  assert.equal(fmt(0), '0');
  assert.equal(cellText({ median: 1500, min: 1000, max: 2000, count: 3 }, (v: number) => v / 1000), '1.50 [1.00..2.00]');
  assert.equal(cellText({ median: 2, min: 2, max: 2, count: 1 }), '2.00');
  assert.equal(niceStep(10), 2);
  assert.equal(niceStep(0.7), 0.2);
  assert.equal(niceStep(0), 1);
});

/** A small result set: floor and Agent Tray at N = 20, PM2 missing, supervisord failed once. */
function fixture() {
  const s = (tool: string, scenario: string, n: number, rep: number, metrics: Record<string, number | null>, extra = {}) => ({ tool, scenario, n, rep, ok: true, metrics, ...extra });
  return {
    meta: {
      date: '2026-11-22T10:00:00Z',
      machine: { description: 'Linux x64, 2 cores' },
      options: { ns: [20], reps: 2, scenarios: ['start', 'stop', 'readopt', 'cycle'], smoke: false, cycles: 200, floodMB: 50 },
      tools: ['floor', 'agent-tray', 'pm2', 'supervisord'],
      versions: { 'agent-tray': '0.1.0' },
      missing: { pm2: 'node_modules/pm2 is not installed' },
    },
    samples: [
      s('floor', 'start', 20, 1, { startMs: 1000 }),
      s('floor', 'start', 20, 2, { startMs: 1200 }),
      s('agent-tray', 'start', 20, 1, { startMs: 1050 }),
      s('agent-tray', 'start', 20, 2, { startMs: 1150 }),
      s('floor', 'stop', 20, 1, { stopMs: 100 }),
      s('agent-tray', 'stop', 20, 1, { stopMs: 400 }),
      s('supervisord', 'start', 20, 1, { startMs: 1400 }),
      { tool: 'supervisord', scenario: 'stop', n: 20, rep: 1, ok: false, error: 'timed out <b>', metrics: {} },
      s('floor', 'readopt', 20, 1, { readoptMs: null, samePids: null, duplicates: 0, survivors: 0 }, { notes: ['the floor cannot take running agents back'] }),
      s('agent-tray', 'readopt', 20, 1, { readoptMs: 900, samePids: 20, duplicates: 0, survivors: 20 }),
      s('agent-tray', 'cycle', 1, 1, { fdGrowth: 0, rssGrowthMB: 3, msPerCycle: 60 }),
      s('floor', 'cycle', 1, 1, { fdGrowth: 0, rssGrowthMB: 1, msPerCycle: 5 }),
    ],
  };
}

test('renderMarkdown: median [min..max], ratios to the floor, targets met and missed, missing tools, failures as notes', () => {
  const md: string = renderMarkdown(fixture());
  assert.match(md, /2026-11-22T10:00:00Z on Linux x64, 2 cores/);
  assert.match(md, /\*\*pm2 missing\*\*: node_modules\/pm2 is not installed/);
  const start = md.split('\n').find((l) => l.startsWith('| start'))!;
  assert.match(start, /\| 1.10 \[1.00..1.20\] \| 1.10 \[1.05..1.15\] ×1.00 \| missing \| 1.40 ×1.27 \| ≤ 1.05× floor: met \|/);
  const stop = md.split('\n').find((l) => l.startsWith('| stop'))!;
  assert.match(stop, /0.400 ×4.00/);
  assert.match(stop, /≤ 1.3× floor: \*\*missed\*\*/);
  assert.match(stop, /n\/a\[\d\]/); // supervisord's failed run
  assert.match(md, /1 of 1 runs failed: timed out <b>/);
  assert.match(md, /the floor cannot take running agents back/);
  assert.match(md, /\| readopt: agents kept with the same pid \| n\/a\[\d\] \| 20.0 \| missing \| — \| all N: met \|/);
  assert.match(md, /## One agent: 200 start\/stop cycles\n/); // no flood in this run
  assert.match(md, /\| cycle: host fd growth \| 0 \| 0 \| missing \| — \| 0: met \|/);
});

test('evaluateTarget applies an N-specific target only at its N', () => {
  const r = fixture();
  const rss = ROWS.find((row: { key: string }) => row.key === 'watch-rss');
  assert.deepEqual(evaluateTarget(rss, r.samples, 20), { text: '(≤ 60 MB at N = 100)', met: null });
  assert.deepEqual(evaluateTarget(rss, r.samples, 100), { text: '≤ 60 MB at N = 100: no data', met: null });
});

test('renderSvg draws one bar per tool with data and N in each panel, labels the missing, escapes text', () => {
  const r = fixture();
  r.meta.machine.description = 'a <b> & c';
  const svg: string = renderSvg(r);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(svg.includes('a &lt;b&gt; &amp; c'));
  assert.ok(!svg.includes('<b>'));
  // bars: start has floor, agent-tray, supervisord; stop has floor, agent-tray (supervisord failed)
  const bars = svg.match(/<rect [^>]*><title>/g) ?? [];
  assert.equal(bars.length, 5);
  assert.equal((svg.match(/>missing</g) ?? []).length, 2);
  assert.match(svg, /PM2 \(missing\)/);
  // every opened element is closed
  const opened = (svg.match(/<(rect|text|line|svg|title)(\s[^>]*)?(?<!\/)>/g) ?? []).length;
  const closed = (svg.match(/<\/(rect|text|line|svg|title)>/g) ?? []).length;
  assert.equal(opened, closed);
});

test('renderMarkdown: the stack scenario gets its own table (chains, depth, load) with ratios to the floor, outside the one-agent table', () => {
  const r = fixture();
  r.meta.options = { ...r.meta.options, scenarios: ['stack'], chains: 10, depth: 3, stackReadyMs: 100 } as typeof r.meta.options;
  r.samples = [
    { tool: 'floor', scenario: 'stack', n: 30, rep: 1, ok: true, metrics: { readyMs: 600, overheadMs: 300 } },
    { tool: 'agent-tray', scenario: 'stack', n: 30, rep: 1, ok: true, metrics: { readyMs: 900, overheadMs: 600 } },
  ] as unknown as typeof r.samples;
  const md: string = renderMarkdown(r);
  assert.match(md, /## Stack: 10 chains of depth 3, each agent loading 100 ms before its ready line\n/);
  assert.doesNotMatch(md, /## One agent/);
  assert.match(md, /\| stack: start-all → every agent ready \(s\) \| 0.600 \| 0.900 ×1.50 \| missing \| — \|/);
  assert.match(md, /\| stack: beyond the agents' own loading \(ms\) \| 300 \| 600 ×2.00 \|/);
});
