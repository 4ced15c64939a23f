#!/usr/bin/env node
// Renders results.md and chart.svg again from a results.json (after a change to the report, or
// to annotate a run): node bench/report.mjs [DIR]   (default bench/results/latest)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown, renderSvg } from './lib/report.mjs';

const dir = process.argv[2] ?? fileURLToPath(new URL('results/latest', import.meta.url));
const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
writeFileSync(join(dir, 'results.md'), renderMarkdown(results));
writeFileSync(join(dir, 'chart.svg'), renderSvg(results));
console.log(`report: ${join(dir, 'results.md')}, ${join(dir, 'chart.svg')}`);
