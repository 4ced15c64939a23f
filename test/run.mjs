// Runs the test suites with Node's own test runner (TypeScript through tsx).
// Usage: node test/run.mjs [unit|integration|e2e ...]   (default: all three)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];

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

const files = suites.flatMap((s) => testFiles(join(root, s)));
if (files.length === 0) {
  console.error(`no test files found in ${suites.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=180000', ...files],
  // a test file whose process never ends must fail the run, not hang CI
  { stdio: 'inherit', env: { ...process.env, AGENT_TRAY_TEST: '1' }, timeout: 25 * 60_000, killSignal: 'SIGKILL' },
);
if (result.error) console.error(`test run stopped: ${result.error.message}`);
process.exit(result.status ?? 1);
