// Export from a real host: GET /api/export with agents that run, the files checked by the real tools
// (systemd-analyze; the host's own process-compose importer through POST /api/import), and the
// `agent-tray export` command line as a person runs it — against a running host, without one,
// writing into a folder and refusing to overwrite what is there.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { ExportResult } from '../../shared/export.js';
import type { Cleanups } from '../helpers/engine.js';
import { binaryRun } from '../helpers/cli-env.js';
import { startCli } from '../helpers/cli-process.js';
import { SYSTEMD_ANALYZE, systemdVerify } from '../helpers/export-tools.js';
import { testDataDirs } from '../helpers/data-dirs.js';
import { startHost } from '../helpers/http-host.js';
import { fixture, killTracked } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';

// a served host starts the autostart agents; they outlive it, so the agents its PID files name are ended too
const dirs = testDataDirs({ endAgentsOfDirs: true });
const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  await dirs.afterEach();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const node = process.execPath;
const agents: AgentDefinitionInput[] = [
  { name: 'server', command: node, args: [fixture('http-server.mjs')], env: { PORT: '0' }, health: { command: [node, '-e', 'process.exit(0)'] }, autostart: true },
  { name: 'worker', command: node, args: [fixture('well-behaved.mjs'), 'two words', '$HOME', '100%'], dependsOn: { server: 'healthy' }, restart: { policy: 'always' }, groups: ['jobs'] },
];

/** A temporary folder removed after the test. */
async function folder(): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-export-');
  cleanups.push(cleanup);
  return dir;
}

test('GET /api/export: systemd units of running agents that systemd-analyze verifies; refusals name the field', async () => {
  const host = await startHost(cleanups, { agents });
  assert.equal((await host.api('POST', '/api/agents/server/start')).status, 200);
  const res = await host.api('GET', '/api/export?to=systemd');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const body = res.body as ExportResult;
  assert.equal(body.target, 'systemd');
  assert.deepEqual(body.files.map((f) => f.path), ['agent-tray-server.service', 'agent-tray-worker.service', 'agent-tray-group-jobs.target', 'INSTALL.md']);
  assert.match(body.files[0]!.content, new RegExp(`^WorkingDirectory=${host.dataDir}$`, 'm'), 'no cwd: the host\'s data directory');
  assert.ok(body.lost.some((l) => l.agent === 'server' && l.field === 'health'), JSON.stringify(body.lost));
  if (SYSTEMD_ANALYZE) {
    const verify = await systemdVerify(body.files);
    assert.equal(verify.code, 0, verify.problems.join('\n'));
    assert.deepEqual(verify.problems, []);
  }

  const k8s = await host.api('GET', '/api/export?to=kubernetes&names=worker&image=worker%3Dghcr.io%2Fme%2Fworker%3A1');
  assert.equal(k8s.status, 200, JSON.stringify(k8s.body));
  assert.match(k8s.body.files[0].content, /image: ghcr\.io\/me\/worker:1/);
  assert.match(k8s.body.files[0].content, /image: REPLACE-ME\/image-for-server/, 'the dependency came along, without an image');
  assert.equal(k8s.body.notes[0], 'Also exported, because the named agents depend on them: server.');

  const bad = await host.api('GET', '/api/export?to=docker');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /Invalid request for exportAgents: to:/);
  const unknown = await host.api('GET', '/api/export?to=systemd&names=nope');
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error.message, /No agent named "nope"/);
});

test('exported to process-compose, the file imports back into the host as the same agents', async () => {
  const host = await startHost(cleanups, { agents });
  const exported = (await host.api('GET', '/api/export?to=process-compose')).body as ExportResult;
  const [file] = exported.files;
  assert.equal(file?.path, 'process-compose.yaml');
  const imported = await host.api('POST', '/api/import', { fileName: file!.path, content: file!.content, dryRun: true, prefix: 'copy' });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  const byName = new Map((imported.body.agents as { name: string; status: string; definition: AgentDefinitionInput }[]).map((a) => [a.name, a]));
  assert.deepEqual([...byName.keys()], ['copy-server', 'copy-worker']);
  const server = byName.get('copy-server')!;
  assert.equal(server.status, 'create');
  assert.deepEqual([server.definition.command, ...(server.definition.args ?? [])], [node, fixture('http-server.mjs')]);
  assert.equal(server.definition.autostart, true);
  assert.deepEqual(byName.get('copy-worker')!.definition.dependsOn, { 'copy-server': 'healthy' });
  assert.equal(byName.get('copy-worker')!.definition.restart?.policy, 'always');
});

test('`agent-tray export --out DIR` against a running host writes the files, lists what is lost, and never overwrites without --force', async () => {
  const dataDir = await dirs.dataDir(agents);
  const hostCli = startCli(['serve', '--data-dir', dataDir, '--port', '0']);
  await hostCli.waitForLine(/Agent Tray listening on http:\/\/\S+/, 20_000);
  const out = path.join(await folder(), 'units');

  const first = await binaryRun('export', '--to', 'systemd', '--out', out, '--data-dir', dataDir);
  assert.equal(first.code, 0, first.all);
  assert.match(first.stdout[0] ?? '', /^Exported the agents of the running host \(pid \d+\) to systemd; wrote 4 files:$/);
  assert.ok(first.stdout.includes(`  ${path.join(out, 'agent-tray-worker.service')}`), first.all);
  assert.ok(first.stdout.some((l) => /^ {2}server: health: systemd has no health probes/.test(l)), first.all);
  assert.deepEqual(readdirSync(out).sort(), ['INSTALL.md', 'agent-tray-group-jobs.target', 'agent-tray-server.service', 'agent-tray-worker.service']);
  const unit = path.join(out, 'agent-tray-worker.service');
  assert.match(readFileSync(unit, 'utf8'), /^ExecStart=".*node" ".*well-behaved\.mjs" "two words" "\$\$HOME" "100%%"$/m);

  writeFileSync(unit, 'edited by hand\n');
  const again = await binaryRun('export', '--to', 'systemd', '--out', out, '--data-dir', dataDir);
  assert.equal(again.code, 1, again.all);
  assert.match(again.stderr, /Nothing was written: .*agent-tray-worker\.service.* already exist\. Pass --force to replace them, or choose another --out folder/);
  assert.equal(readFileSync(unit, 'utf8'), 'edited by hand\n', 'left as it was');

  const forced = await binaryRun('export', '--to', 'systemd', '--out', out, '--force', '--data-dir', dataDir);
  assert.equal(forced.code, 0, forced.all);
  assert.match(readFileSync(unit, 'utf8'), /^ExecStart=/m);
});

test('`agent-tray export` without a host reads agents.json, prints the file on stdout and the report on stderr', async () => {
  const dataDir = await dirs.dataDir(agents);
  const printed = await binaryRun('export', '--to', 'process-compose', '--data-dir', dataDir, 'worker');
  assert.equal(printed.code, 0, printed.all);
  assert.equal(printed.stdout[0], '# Written by `agent-tray export --to process-compose` from the agents of Agent Tray.');
  assert.ok(printed.stdout.includes('  worker:') && printed.stdout.includes('  server:'), printed.all);
  assert.match(printed.stderr, new RegExp(`Exported the agents of ${path.join(dataDir, 'agents.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to process-compose\\.`));
  assert.match(printed.stderr, /Also exported, because the named agents depend on them: server\./);

  const json = await binaryRun('export', '--to', 'kubernetes', '--json', '--image', 'base:1', '--data-dir', dataDir);
  assert.equal(json.code, 0, json.all);
  const result = JSON.parse(json.stdout.join('\n')) as ExportResult;
  assert.equal(result.target, 'kubernetes');
  assert.equal((result.files[0]!.content.match(/image: base:1/g) ?? []).length, 2);

  const unknown = await binaryRun('export', '--to', 'systemd', '--data-dir', dataDir, 'nope');
  assert.equal(unknown.code, 1, unknown.all);
  assert.match(unknown.stderr, /No agent named "nope" \(known agents: server, worker\)/);
  const usage = await binaryRun('export', '--out', dataDir, '--data-dir', dataDir);
  assert.equal(usage.code, 2, usage.all);
  assert.match(usage.stderr, /say what to export to: --to process-compose\|systemd\|kubernetes/);
  const wrong = await binaryRun('export', '--to', 'nomad', '--data-dir', dataDir);
  assert.equal(wrong.code, 2, wrong.all);
  assert.match(wrong.stderr, /--to "nomad" is not one of process-compose, systemd, kubernetes/);
  assert.equal(existsSync(path.join(dataDir, 'process-compose.yaml')), false, 'nothing written without --out');
});
