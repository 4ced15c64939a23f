// Export to systemd user units, read back by systemd itself: `systemd-analyze verify --user` loads
// every unit (a bad quote, an unknown specifier or key, a program that is not there fails it) and,
// with debug logging, dumps what it parsed — the command line word by word, the environment,
// dependencies, restart and stop settings — which the tests compare with the definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileOf, lostOf, runExport, SYSTEMD_ANALYZE, systemdCommandWords, systemdVerify, TRICKY_WORDS } from '../helpers/export-tools.js';
import { fixture } from '../helpers/processes.js';

const skip = SYSTEMD_ANALYZE ? false : 'systemd-analyze is not installed here (Debian: apt-get install systemd)';
const node = process.execPath;

test('every tricky argument reaches the program as written (systemd\'s own parse of ExecStart=)', { skip }, async () => {
  const result = runExport({ to: 'systemd' }, [{ name: 'echo', command: node, args: [fixture('well-behaved.mjs'), ...TRICKY_WORDS] }]);
  const verify = await systemdVerify(result.files);
  assert.equal(verify.code, 0, verify.problems.join('\n'));
  assert.deepEqual(verify.problems, []);
  const [line] = verify.units.get('agent-tray-echo.service')?.get('Command Line') ?? [];
  assert.ok(line, 'systemd dumped the command line');
  assert.deepEqual(systemdCommandWords(line), [node, fixture('well-behaved.mjs'), ...TRICKY_WORDS]);
});

test('a program named without a path is written as its absolute path; a relative path is taken from cwd', { skip }, async () => {
  const result = runExport({ to: 'systemd' }, [
    { name: 'by-name', command: 'node', args: ['-e', '1'] },
    { name: 'by-path', command: `./${process.execPath.split('/').pop()}`, cwd: process.execPath.replace(/\/[^/]+$/, '') },
  ]);
  const verify = await systemdVerify(result.files);
  assert.equal(verify.code, 0, verify.problems.join('\n'));
  const words = (unit: string) => systemdCommandWords(verify.units.get(unit)?.get('Command Line')?.[0] ?? '');
  assert.match(words('agent-tray-by-name.service')[0]!, /^\/.*\/node$/);
  assert.equal(words('agent-tray-by-path.service')[0], process.execPath);
  assert.deepEqual(result.lost, []);
});

test('a program that is not on PATH is listed, and left for systemd\'s own search', () => {
  const result = runExport({ to: 'systemd' }, [{ name: 'ghost', command: 'no-such-program-agent-tray' }]);
  assert.match(lostOf(result, 'ghost').get('command') ?? '', /"no-such-program-agent-tray" was not found on PATH here; .*write its full path/);
  assert.match(fileOf(result, 'agent-tray-ghost.service'), /^ExecStart="no-such-program-agent-tray"$/m);
});

test('environment, working directory, dependencies, restart, stop and limits as systemd reads them', { skip }, async () => {
  const result = runExport(
    { to: 'systemd' },
    [
      { name: 'setup', command: node, args: ['-e', '0'], restart: { policy: 'always' } },
      { name: 'model', command: node, args: ['-e', '0'], health: { tcp: { port: 11434 } } },
      {
        name: 'web',
        command: node,
        args: ['-e', '0'],
        cwd: '/srv/my agents/web 100%',
        env: { GREETING: 'hello "world" $USER 50%', 'BAD.NAME': 'x', 'back\\slash': 'y' },
        dependsOn: { setup: 'completed', model: 'healthy' },
        restart: { policy: 'on-failure', maxRestarts: 3, windowMs: 30_000, backoff: { initialMs: 2000 } },
        stop: { signal: 'SIGINT', timeoutMs: 4000, insistMs: 1000, command: [node, '-e', 'process.exit(0)'] },
        limits: { maxMemoryMB: 512, maxRuntimeMs: 3_600_000, action: 'restart' },
        priority: 'low',
        groups: ['web'],
        autostart: true,
      },
    ],
    { dataDir: '/srv/agent-tray' },
  );
  const verify = await systemdVerify(result.files);
  assert.equal(verify.code, 0, verify.problems.join('\n'));
  assert.deepEqual(verify.problems, []);
  const web = verify.units.get('agent-tray-web.service')!;
  assert.deepEqual(web.get('Environment'), ['GREETING=hello "world" $USER 50%']);
  assert.deepEqual(web.get('WorkingDirectory'), ['/srv/my agents/web 100%']);
  assert.ok(web.get('Requires')?.includes('agent-tray-setup.service (origin-file)'), String(web.get('Requires')));
  assert.ok(web.get('After')?.includes('agent-tray-model.service (origin-file)'), String(web.get('After')));
  assert.ok(web.get('PartOf')?.some((v) => v.startsWith('agent-tray-group-web.target')), String(web.get('PartOf')));
  assert.deepEqual(web.get('Restart'), ['on-failure']);
  assert.deepEqual(web.get('RestartSec'), ['2s']); // the dump shows whole seconds; RestartSec=1500ms is taken too
  assert.deepEqual(web.get('KillSignal'), ['SIGINT']);
  assert.deepEqual(web.get('TimeoutStopSec'), ['5s']);
  assert.deepEqual(web.get('RuntimeMaxSec'), ['1h']);
  assert.deepEqual(web.get('MemoryMax'), [String(512 * 1024 * 1024)]);
  assert.deepEqual(web.get('Nice'), ['10']);
  assert.equal(web.get('Command Line')?.length, 2, 'ExecStart and ExecStop');
  // the one-shot its dependent waits to complete
  const setup = verify.units.get('agent-tray-setup.service')!;
  assert.deepEqual(setup.get('Type'), ['oneshot']);
  assert.deepEqual(setup.get('Restart'), ['on-failure']);
  assert.deepEqual(setup.get('TimeoutStartSec'), ['infinity']);
  assert.deepEqual(verify.units.get('agent-tray-model.service')?.get('Type'), ['exec']);
  // the start limit: more than 3 restarts within 30 s gives up
  const unitText = fileOf(result, 'agent-tray-web.service');
  assert.match(unitText, /^StartLimitIntervalSec=30000ms$/m);
  assert.match(unitText, /^StartLimitBurst=4$/m);
  assert.ok(verify.units.has('agent-tray-group-web.target'));

  const lost = lostOf(result, 'web');
  assert.match(lost.get('env.BAD.NAME') ?? '', /only letters, digits and "_"/);
  assert.ok(lost.has('env.back\\slash'));
  assert.match(lost.get('dependsOn.model') ?? '', /cannot wait for "model" to be healthy/);
  assert.equal(lost.has('dependsOn.setup'), false, 'a one-shot expresses "completed"');
  assert.match(lostOf(result, 'setup').get('restart.policy') ?? '', /one-shot unit, which systemd restarts on failure only/);
  assert.match(lostOf(result, 'model').get('health') ?? '', /no health probes/);
  assert.equal(lost.has('limits.action'), false, 'restart at the cap is what systemd does');
});

test('env files and secrets: EnvironmentFile= lines, the secrets file the person creates, the precedence listed', { skip }, async () => {
  const result = runExport({ to: 'systemd' }, [{ name: 'api', command: node, cwd: '/srv/api', env: { MODE: 'prod' }, envFile: ['.env', 'more.env'], secretEnv: ['OPENAI_API_KEY'] }]);
  const text = fileOf(result, 'agent-tray-api.service');
  assert.match(text, /^EnvironmentFile=\/srv\/api\/\.env\nEnvironmentFile=\/srv\/api\/more\.env\nEnvironmentFile=%h\/\.config\/agent-tray\/secrets\/api\.env$/m);
  assert.equal(text.includes('OPENAI_API_KEY'), false, 'a secret\'s value (or name) is not in the unit');
  const verify = await systemdVerify(result.files);
  assert.equal(verify.code, 0, verify.problems.join('\n'));
  const lost = lostOf(result, 'api');
  assert.match(lost.get('envFile') ?? '', /EnvironmentFile= override Environment=/);
  assert.match(lost.get('secretEnv.OPENAI_API_KEY') ?? '', /~\/\.config\/agent-tray\/secrets\/api\.env \(mode 0600\)/);
});

test('INSTALL.md enables what Agent Tray starts by itself and says how to start the rest', () => {
  const result = runExport({ to: 'systemd' }, [
    { name: 'db', command: node },
    { name: 'app', command: node, autostart: true, dependsOn: { db: 'started' } },
    { name: 'tool', command: node },
  ]);
  const install = fileOf(result, 'INSTALL.md');
  assert.match(install, /systemctl --user daemon-reload/);
  assert.match(install, /^systemctl --user enable --now agent-tray-db\.service agent-tray-app\.service$/m);
  assert.match(install, /^systemctl --user start agent-tray-tool\.service$/m);
});
