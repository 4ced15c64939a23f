// The built host at rest: what it loads and how large its young generation may grow. Fastify's
// JSON-schema compilers (Ajv, fast-json-stringify) and pidusage (macOS/Windows only) stay unloaded,
// and `serve` keeps V8's young generation from growing (bin/agent-tray.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/temp-dir.js';
import { track } from '../../helpers/processes.js';

const bin = fileURLToPath(new URL('../../../bin/agent-tray.js', import.meta.url));
const built = fileURLToPath(new URL('../../../dist/electron/cli/index.js', import.meta.url));
const probe = fileURLToPath(new URL('../../fixtures/probes/host-memory.mjs', import.meta.url));

test('serve at rest loads no schema compiler nor pidusage, and its young generation stays small', { skip: process.platform === 'win32' && 'SIGUSR2' }, async () => {
  assert.ok(existsSync(built), `${built} is missing: run \`npm run build\` first (npm test does)`);
  const { dir, cleanup } = await tempDir();
  const host = spawn(process.execPath, ['--import', probe, bin, 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(host.pid);
  const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
  let out = '';
  const waitFor = (pattern: RegExp, what: string) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within 30 s; output:\n${out}`)), 30_000);
      const look = () => {
        const m = pattern.exec(out);
        if (!m) return;
        clearTimeout(timer);
        host.stdout.off('data', look);
        host.stderr.off('data', look);
        resolve(m);
      };
      const collect = (d: Buffer) => {
        out += d.toString();
        look();
      };
      host.stdout.on('data', collect);
      host.stderr.on('data', collect);
      look();
    });
  try {
    await waitFor(/Agent Tray listening on/, 'listening line');
    const report = waitFor(/host-memory (\{.*\})\n/, 'probe report');
    host.kill('SIGUSR2');
    const { packages, newSpaceBytes } = JSON.parse((await report)[1]!) as { packages: string[]; newSpaceBytes: number };
    assert.ok(packages.includes('fastify'), `the probe sees the host's packages: ${packages.join(', ')}`);
    for (const absent of ['ajv', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'pidusage']) assert.ok(!packages.includes(absent), `${absent} was loaded: ${packages.join(', ')}`);
    // growth off: the young generation stays at its initial size (V8 default: 16 MB semi-spaces, 48 MB in all)
    assert.ok(newSpaceBytes <= 4 * 1024 * 1024, `new space is ${(newSpaceBytes / 1048576).toFixed(1)} MB`);
  } finally {
    host.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    await cleanup();
  }
});
