// Turns the benchmark's results (every sample) into the Markdown table and the SVG chart. Pure:
// results in, text out; tested in test/unit/bench/.
import { metricSummary, ratio } from './stats.mjs';

export const TOOLS = [
  { id: 'floor', label: 'floor (plain Node)' },
  { id: 'agent-tray', label: 'Agent Tray' },
  { id: 'pm2', label: 'PM2' },
  { id: 'supervisord', label: 'supervisord' },
];

const COLORS = { floor: '#8c8c8c', 'agent-tray': '#2f7ed8', pm2: '#e8743b', supervisord: '#19a979' };

/** A number with a precision that suits its size. @param {number} v */
export function fmt(v) {
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return '0';
  return v.toFixed(3);
}

/** `median [min..max]` (just the median for one sample). @param {{ median: number, min: number, max: number, count: number }} s @param {(v: number) => number} scale */
export function cellText(s, scale = (v) => v) {
  const m = fmt(scale(s.median));
  return s.count > 1 && s.min !== s.max ? `${m} [${fmt(scale(s.min))}..${fmt(scale(s.max))}]` : m;
}

/**
 * The rows of the table. `perN`: one row per N. `vsFloor`: show the ratio of the median to the
 * floor's. `target`: Agent Tray's target from the issue, checked on the summaries.
 */
export const ROWS = [
  {
    key: 'start', label: 'start: all running + first line (s)', scenario: 'start', metric: 'startMs', scale: (v) => v / 1000, perN: true, vsFloor: true,
    target: { text: '≤ 1.05× floor', check: ({ r }) => r !== null && r <= 1.05 },
  },
  {
    key: 'stop', label: 'stop: all processes gone (s)', scenario: 'stop', metric: 'stopMs', scale: (v) => v / 1000, perN: true, vsFloor: true,
    target: { text: '≤ 1.3× floor', check: ({ r }) => r !== null && r <= 1.3 },
  },
  {
    key: 'watch-cpu', label: 'watch: host CPU (% of a core)', scenario: 'watch', metric: 'cpuPercent', perN: true, vsFloor: true,
    target: { text: '≤ 1.25× floor', check: ({ r }) => r !== null && r <= 1.25 },
  },
  {
    key: 'watch-rss', label: 'watch: host RSS (MB)', scenario: 'watch', metric: 'rssMB', perN: true, vsFloor: true,
    target: { text: '≤ 60 MB at N = 100', onlyN: 100, check: ({ s }) => s.median <= 60 },
  },
  {
    key: 'readopt-ms', label: 'readopt: host start → all N running again (s)', scenario: 'readopt', metric: 'readoptMs', scale: (v) => v / 1000, perN: true, vsFloor: false,
    target: { text: '≤ 2 s', check: ({ s }) => s.max <= 2000 },
  },
  {
    key: 'readopt-same', label: 'readopt: agents kept with the same pid', scenario: 'readopt', metric: 'samePids', perN: true, vsFloor: false,
    target: { text: 'all N', check: ({ s, n }) => s.min === n },
  },
  {
    key: 'readopt-dup', label: 'readopt: agents running twice', scenario: 'readopt', metric: 'duplicates', perN: true, vsFloor: false,
    target: { text: '0', check: ({ s }) => s.max === 0 },
  },
  {
    key: 'readopt-survivors', label: 'readopt: old agents alive 2 s after the SIGKILL', scenario: 'readopt', metric: 'survivors', perN: true, vsFloor: false,
  },
  {
    key: 'flood-ms', label: 'flood: the agent\'s own run time (ms)', scenario: 'flood', metric: 'runMs', perN: false, vsFloor: true,
  },
  {
    key: 'flood-speed', label: 'flood: speed vs writing to /dev/null', scenario: 'flood', metric: 'speed', perN: false, vsFloor: false,
    target: { text: '≥ 0.8', check: ({ s }) => s.median >= 0.8 },
  },
  {
    key: 'flood-rss', label: 'flood: host RSS growth (MB)', scenario: 'flood', metric: 'rssGrowthMB', perN: false, vsFloor: false,
    target: { text: '≤ 10 MB (rings: 2 × 1,000 lines)', check: ({ s }) => s.median <= 10 },
  },
  {
    key: 'cycle-fd', label: 'cycle: host fd growth', scenario: 'cycle', metric: 'fdGrowth', perN: false, vsFloor: false,
    target: { text: '0', check: ({ s }) => s.max <= 0 },
  },
  {
    key: 'cycle-rss', label: 'cycle: host RSS growth (MB)', scenario: 'cycle', metric: 'rssGrowthMB', perN: false, vsFloor: false,
    target: { text: '< 10 MB', check: ({ s }) => s.max < 10 },
  },
  {
    key: 'cycle-ms', label: 'cycle: one start + stop (ms)', scenario: 'cycle', metric: 'msPerCycle', perN: false, vsFloor: true,
  },
  {
    key: 'stack-ms', label: 'stack: start-all → every agent ready (s)', scenario: 'stack', metric: 'readyMs', scale: (v) => v / 1000, perN: false, section: 'stack', vsFloor: true,
  },
  {
    key: 'stack-overhead', label: 'stack: beyond the agents\' own loading (ms)', scenario: 'stack', metric: 'overheadMs', perN: false, section: 'stack', vsFloor: true,
  },
];

/**
 * Evaluates Agent Tray's target of one row at one N.
 * @returns {{ text: string, met: boolean | null }}
 */
export function evaluateTarget(row, samples, n) {
  if (!row.target) return { text: '', met: null };
  if (row.target.onlyN !== undefined && n !== undefined && n !== row.target.onlyN) return { text: `(${row.target.text})`, met: null };
  const s = metricSummary(samples, { tool: 'agent-tray', scenario: row.scenario, n, metric: row.metric });
  if (!s) return { text: `${row.target.text}: no data`, met: null };
  const floor = metricSummary(samples, { tool: 'floor', scenario: row.scenario, n, metric: row.metric });
  const r = ratio(s, floor);
  const met = Boolean(row.target.check({ s, r, n }));
  return { text: `${row.target.text}: ${met ? 'met' : '**missed**'}`, met };
}

/** The failures and notes of one tool in one scenario (and N), as short texts. */
function notesOf(samples, tool, scenario, n) {
  const here = samples.filter((s) => s.tool === tool && s.scenario === scenario && (n === undefined || s.n === n));
  const out = new Set();
  const failed = here.filter((s) => !s.ok);
  if (failed.length) out.add(`${failed.length} of ${here.length} runs failed: ${[...new Set(failed.map((s) => s.error))].join('; ')}`);
  for (const s of here) for (const note of s.notes ?? []) out.add(note);
  return [...out];
}

/**
 * The Markdown report: a table per N for the N-dependent scenarios and one for flood and cycle,
 * each cell `median [min..max]` and, where it means something, `×ratio` to the floor.
 * @param {{ meta: Record<string, any>, samples: any[] }} results
 */
export function renderMarkdown(results) {
  const { meta, samples } = results;
  const missing = meta.missing ?? {};
  const tools = TOOLS.filter((t) => meta.tools?.includes(t.id) ?? true);
  const lines = [];
  const footnotes = [];
  const note = (text) => {
    let i = footnotes.indexOf(text);
    if (i < 0) i = footnotes.push(text) - 1;
    return `[${i + 1}]`;
  };

  lines.push(`# Agent Tray benchmark`);
  lines.push('');
  lines.push(`${meta.date} on ${meta.machine?.description ?? 'this machine'}; ${meta.options?.reps} repetition(s) per scenario${meta.options?.smoke ? ' (smoke mode: shortened scenarios, not for comparison)' : ''}.`);
  lines.push(`Cells: median [min..max] over the repetitions; ×r is the median's ratio to the floor's.`);
  if (meta.agentTrayBin) lines.push(`Agent Tray measured from ${meta.agentTrayBin} (AGENT_TRAY_BIN), not this checkout's build.`);
  if (meta.versions) lines.push(`Versions: ${Object.entries(meta.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  for (const [tool, reason] of Object.entries(missing)) lines.push(`**${tool} missing**: ${reason}`);
  lines.push('');

  const header = ['', ...tools.map((t) => t.label), 'Agent Tray target'];
  const renderTable = (rows, n) => {
    lines.push(`| ${header.join(' | ')} |`);
    lines.push(`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const row of rows) {
      const cells = [row.label];
      const floorS = metricSummary(samples, { tool: 'floor', scenario: row.scenario, n, metric: row.metric });
      for (const t of tools) {
        if (missing[t.id]) {
          cells.push('missing');
          continue;
        }
        const s = metricSummary(samples, { tool: t.id, scenario: row.scenario, n, metric: row.metric });
        const notes = notesOf(samples, t.id, row.scenario, n);
        const marks = notes.map(note).join('');
        if (!s) {
          cells.push(`${notes.length ? 'n/a' : '—'}${marks}`);
          continue;
        }
        let text = cellText(s, row.scale);
        if (row.vsFloor && t.id !== 'floor') {
          const r = ratio(s, floorS);
          if (r !== null) text += ` ×${r.toFixed(2)}`;
        }
        cells.push(text + marks);
      }
      cells.push(evaluateTarget(row, samples, n).text);
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  };

  for (const n of meta.options?.ns ?? []) {
    const rows = ROWS.filter((r) => r.perN && (meta.options?.scenarios ?? []).includes(r.scenario));
    if (!rows.length) continue;
    lines.push(`## N = ${n} agents`);
    lines.push('');
    renderTable(rows, n);
  }
  const once = ROWS.filter((r) => !r.perN && !r.section && (meta.options?.scenarios ?? []).includes(r.scenario));
  if (once.length) {
    const parts = [];
    if (meta.options?.scenarios?.includes('flood')) parts.push(`log flood (${meta.options?.floodMB} MB)`);
    if (meta.options?.scenarios?.includes('cycle')) parts.push(`${meta.options?.cycles} start/stop cycles`);
    lines.push(`## One agent: ${parts.join(' and ')}`);
    lines.push('');
    renderTable(once, undefined);
    const devnull = metricSummary(samples, { tool: 'devnull', scenario: 'flood', metric: 'runMs' });
    const file = metricSummary(samples, { tool: 'file', scenario: 'flood', metric: 'runMs' });
    if (devnull) {
      lines.push(`The flooding agent on its own, writing straight to /dev/null: ${cellText(devnull)} ms${file ? `; to a regular file that nobody reads (where an Agent Tray agent writes): ${cellText(file)} ms (${(devnull.median / file.median).toFixed(2)} of the /dev/null speed)` : ''}.`, '');
    }
  }
  const stackRows = ROWS.filter((r) => r.section === 'stack' && (meta.options?.scenarios ?? []).includes(r.scenario));
  if (stackRows.length) {
    const o = meta.options ?? {};
    lines.push(`## Stack: ${o.chains} chains of depth ${o.depth}, each agent loading ${o.stackReadyMs} ms before its ready line`);
    lines.push('');
    renderTable(stackRows, undefined);
  }
  if (footnotes.length) {
    lines.push('Notes:');
    lines.push('');
    footnotes.forEach((f, i) => lines.push(`${i + 1}. ${f}`));
    lines.push('');
  }
  return lines.join('\n');
}

/** Escapes text for SVG. @param {string} s */
function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round axis steps: 1, 2 or 5 × a power of ten, so that about five ticks cover `max`. @param {number} max */
export function niceStep(max) {
  if (!(max > 0)) return 1;
  const raw = max / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/**
 * The chart: two panels (start, stop), in each a group of bars per N, one bar per tool (its median,
 * with a whisker from min to max), drawn as plain SVG.
 * @param {{ meta: Record<string, any>, samples: any[] }} results
 */
export function renderSvg(results) {
  const { meta, samples } = results;
  const missing = meta.missing ?? {};
  const tools = TOOLS.filter((t) => meta.tools?.includes(t.id) ?? true);
  const ns = meta.options?.ns ?? [];
  const panels = [
    { title: 'start: until every agent runs and printed its first line', scenario: 'start', metric: 'startMs' },
    { title: 'stop: until no agent process is left', scenario: 'stop', metric: 'stopMs' },
  ];
  const panelW = 460;
  const panelH = 300;
  const margin = { top: 84, left: 60, bottom: 70, right: 20 };
  const width = margin.left + panels.length * (panelW + margin.left) + margin.right;
  const height = margin.top + panelH + margin.bottom;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin.left}" y="24" font-size="16" font-weight="bold">${esc(`Agent Tray vs the floor, PM2 and supervisord: median seconds (whiskers: min..max)`)}</text>`);
  out.push(`<text x="${margin.left}" y="44" fill="#555">${esc(`${meta.date ?? ''} · ${meta.machine?.description ?? ''} · ${meta.options?.reps ?? '?'} rep(s)${meta.options?.smoke ? ' · smoke mode' : ''}`)}</text>`);

  panels.forEach((panel, pi) => {
    const x0 = margin.left + pi * (panelW + margin.left);
    const y0 = margin.top;
    const sums = new Map();
    let max = 0;
    for (const n of ns) {
      for (const t of tools) {
        const s = missing[t.id] ? null : metricSummary(samples, { tool: t.id, scenario: panel.scenario, n, metric: panel.metric });
        sums.set(`${n}/${t.id}`, s);
        if (s) max = Math.max(max, s.max / 1000);
      }
    }
    const step = niceStep(max || 1);
    const top = Math.max(step, Math.ceil((max || 1) / step) * step);
    const y = (v) => y0 + panelH - (v / top) * panelH;
    out.push(`<text x="${x0}" y="${y0 - 12}" font-weight="bold">${esc(panel.title)}</text>`);
    for (let v = 0; v <= top + 1e-9; v += step) {
      const yy = y(v).toFixed(1);
      out.push(`<line x1="${x0}" x2="${x0 + panelW}" y1="${yy}" y2="${yy}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${x0 - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#555">${esc(String(Number(v.toPrecision(3))))}</text>`);
    }
    out.push(`<line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y0 + panelH}" stroke="#333"/>`);
    out.push(`<line x1="${x0}" x2="${x0 + panelW}" y1="${y0 + panelH}" y2="${y0 + panelH}" stroke="#333"/>`);
    out.push(`<text x="${x0 - 44}" y="${y0 + panelH / 2}" transform="rotate(-90 ${x0 - 44} ${y0 + panelH / 2})" text-anchor="middle" fill="#555">seconds</text>`);
    const groupW = panelW / Math.max(1, ns.length);
    const barW = Math.min(44, (groupW * 0.8) / Math.max(1, tools.length));
    ns.forEach((n, gi) => {
      const gx = x0 + gi * groupW + (groupW - barW * tools.length) / 2;
      tools.forEach((t, ti) => {
        const bx = gx + ti * barW;
        const s = sums.get(`${n}/${t.id}`);
        const cx = (bx + barW / 2).toFixed(1);
        if (!s) {
          out.push(`<text x="${cx}" y="${y0 + panelH - 6}" text-anchor="middle" font-size="10" fill="#999" transform="rotate(-90 ${cx} ${y0 + panelH - 6})">${missing[t.id] ? 'missing' : 'no data'}</text>`);
          return;
        }
        const h = (s.median / 1000 / top) * panelH;
        out.push(`<rect x="${(bx + 2).toFixed(1)}" y="${(y0 + panelH - h).toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[t.id] ?? '#666'}"><title>${esc(`${t.label}, N = ${n}: ${cellText(s, (v) => v / 1000)} s`)}</title></rect>`);
        if (s.count > 1) {
          const [ya, yb] = [y(s.min / 1000).toFixed(1), y(s.max / 1000).toFixed(1)];
          out.push(`<line x1="${cx}" x2="${cx}" y1="${ya}" y2="${yb}" stroke="#222"/>`);
          out.push(`<line x1="${(bx + barW / 2 - 4).toFixed(1)}" x2="${(bx + barW / 2 + 4).toFixed(1)}" y1="${yb}" y2="${yb}" stroke="#222"/>`);
          out.push(`<line x1="${(bx + barW / 2 - 4).toFixed(1)}" x2="${(bx + barW / 2 + 4).toFixed(1)}" y1="${ya}" y2="${ya}" stroke="#222"/>`);
        }
        const labelY = Math.min(y(s.max / 1000), y0 + panelH - h) - 4;
        out.push(`<text x="${cx}" y="${labelY.toFixed(1)}" text-anchor="middle" font-size="10">${esc(fmt(s.median / 1000))}</text>`);
      });
      out.push(`<text x="${(x0 + gi * groupW + groupW / 2).toFixed(1)}" y="${y0 + panelH + 18}" text-anchor="middle">N = ${n}</text>`);
    });
  });

  // legend
  let lx = margin.left;
  const ly = height - 24;
  for (const t of tools) {
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${COLORS[t.id] ?? '#666'}"/>`);
    const label = missing[t.id] ? `${t.label} (missing)` : t.label;
    out.push(`<text x="${lx + 16}" y="${ly}">${esc(label)}</text>`);
    lx += 16 + label.length * 7 + 24;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
