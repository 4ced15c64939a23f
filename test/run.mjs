// Runs the test suites: unit, integration and e2e with Node's own test runner (TypeScript through
// tsx), and renderer (test/renderer) with Vitest. The exit code is non-zero if any suite failed.
// Usage: node test/run.mjs [unit|integration|e2e|renderer|windows ...]   (default: the first four)
// `windows` (test/windows, `npm run test:windows`) is the Windows lane under Wine: never part of the
// default run; its files run one at a time, since they share one Wine prefix and end its wineserver.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const NODE_SUITES = ['unit', 'integration', 'e2e'];
const ALL = ['renderer', ...NODE_SUITES];
const KNOWN = [...ALL, 'windows'];
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const unknown = suites.filter((s) => !KNOWN.includes(s));
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(', ')}; the suites are ${KNOWN.join(', ')}`);
  process.exit(2);
}
const env = { ...process.env, AGENT_TRAY_TEST: '1' };

/** Every *.test.ts / *.test.tsx file below dir, sorted. */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (/\.test\.tsx?$/.test(entry)) out.push(path);
  }
  return out.sort();
}

/** Runs a command to its end; its exit status (1 when it could not run or was stopped). */
function run(what, command, args, timeoutMs) {
  // a test process that never ends must fail the run, not hang CI
  const result = spawnSync(command, args, { stdio: 'inherit', env, cwd: join(root, '..'), timeout: timeoutMs, killSignal: 'SIGKILL' });
  if (result.error) console.error(`${what}: test run stopped: ${result.error.message}`);
  return result.status ?? 1;
}

const failed = [];

if (suites.includes('renderer')) {
  const vitest = join(root, '..', 'node_modules', 'vitest', 'vitest.mjs');
  if (run('renderer', process.execPath, [vitest, 'run', '--config', join(root, '..', 'vitest.config.ts')], 10 * 60_000) !== 0) failed.push('renderer');
}

const nodeSuites = suites.filter((s) => NODE_SUITES.includes(s));
if (nodeSuites.length) {
  const files = nodeSuites.flatMap((s) => testFiles(join(root, s)));
  if (files.length === 0) {
    console.error(`no test files found in ${nodeSuites.join(', ')}`);
    failed.push(...nodeSuites);
  } else if (
    run(nodeSuites.join(', '), process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=180000', ...files], 25 * 60_000) !== 0
  ) {
    failed.push(...nodeSuites);
  }
}

if (suites.includes('windows')) {
  const files = testFiles(join(root, 'windows'));
  if (files.length === 0) {
    console.error('no test files found in windows');
    failed.push('windows');
  } else if (run('windows', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=300000', ...files], 20 * 60_000) !== 0) {
    failed.push('windows');
  }
}

if (failed.length) console.error(`\nfailed: ${failed.join(', ')}`);
process.exit(failed.length ? 1 : 0);
