// build/check-electron-security.mjs on a small insecure build: it fails on a HIGH finding, scans
// the preload even though it is a .cjs file, scans a file with private class members instead of
// giving up on it, and writes its reports. (The real build is scanned by `npm run security`.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Write files (path -> content) under dir. */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
}

test('the security check fails on a high finding, and scans .cjs and private-member files', { timeout: 120_000 }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'agent-tray-security-'));
  try {
    const build = path.join(tmp, 'dist');
    writeTree(build, {
      // context isolation off: HIGH. The #window field is what the scanner's parser cannot walk.
      'electron/main/index.js': [
        "import { BrowserWindow } from 'electron';",
        'export class Host {',
        '  #window = null;',
        '  open() {',
        '    this.#window = new BrowserWindow({ webPreferences: { contextIsolation: false } });',
        '  }',
        '}',
        '',
      ].join('\n'),
      // openExternal with a value from the page: a finding only if .cjs files are scanned at all
      'electron/preload/index.cjs': "const { shell } = require('electron');\nmodule.exports.open = (url) => shell.openExternal(url);\n",
    });
    const out = path.join(tmp, 'out');
    const run = spawnSync(process.execPath, [path.join(root, 'build', 'check-electron-security.mjs'), build, '--out', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 110_000,
    });
    const log = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 1, log);
    assert.match(log, /HIGH\s+CONTEXT_ISOLATION_JS_CHECK\s+electron\/main\/index\.js/);
    assert.match(log, /OPEN_EXTERNAL_JS_CHECK\s+electron\/preload\/index\.cjs/);
    assert.match(log, /lowered to ES2021 for the parser: electron\/main\/index\.js/);
    assert.doesNotMatch(log, /PARSE ERROR/);
    assert.match(log, /FAILED: high-severity findings/);

    const sarif = JSON.parse(readFileSync(path.join(out, 'electronegativity.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string }[] }[];
    };
    assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === 'CONTEXT_ISOLATION_JS_CHECK'), 'SARIF report');
    const csv = readFileSync(path.join(out, 'electronegativity.csv'), 'utf8');
    assert.match(csv, /"CONTEXT_ISOLATION_JS_CHECK","HIGH"/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the security check refuses to pass when there is nothing to scan', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'agent-tray-security-empty-'));
  try {
    const run = spawnSync(process.execPath, [path.join(root, 'build', 'check-electron-security.mjs'), empty, '--out', path.join(empty, 'out')], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(run.status, 2, `${run.stdout}\n${run.stderr}`);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
