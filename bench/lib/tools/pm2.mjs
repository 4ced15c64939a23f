// PM2 (the npm package, a devDependency), driven through its own CLI with PM2_HOME in a temporary
// folder; an ecosystem file declares the agents (fork mode, one instance each); "printed its first
// line" is read off the log files PM2 writes. The daemon is ended with `pm2 kill` under that
// PM2_HOME, then by its pid.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killPid, record, runCommand, waitGone } from '../processes.mjs';
import { alive } from '../procfs.mjs';
import { waitFilesNonEmpty, waitUntil } from '../wait.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PM2 = join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2');

export const pm2 = {
  id: 'pm2',
  async available() {
    if (!existsSync(PM2)) return { ok: false, reason: 'node_modules/pm2 is not installed (npm install -D pm2)' };
    try {
      const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'pm2', 'package.json'), 'utf8'));
      return { ok: true, version };
    } catch (err) {
      return { ok: false, reason: `pm2 cannot be read: ${err.message}` };
    }
  },

  /**
   * @param {{ tmp: (what: string) => string }} ctx
   * @param {{ name: string, script: string, args: string[], env: Record<string, string>, oneShot?: boolean }[]} agents
   */
  async open(ctx, agents) {
    const dir = ctx.tmp('pm2');
    const home = join(dir, 'home');
    const logs = join(dir, 'logs');
    mkdirSync(home, { recursive: true });
    mkdirSync(logs, { recursive: true });
    const eco = join(dir, 'ecosystem.config.cjs');
    const out = (name) => join(logs, `${name}.out.log`);
    const apps = agents.map((a) => ({
      name: a.name,
      script: a.script,
      args: a.args,
      exec_mode: 'fork',
      merge_logs: true, // the log file names as given, without an instance suffix
      env: a.env,
      out_file: out(a.name),
      error_file: join(logs, `${a.name}.err.log`),
      autorestart: !a.oneShot,
    }));
    writeFileSync(eco, `module.exports = ${JSON.stringify({ apps }, null, 2)};\n`);
    const env = { ...process.env, PM2_HOME: home };
    delete env.AGENT_TRAY_BENCH;
    const cli = async (...args) => {
      const r = await runCommand(process.execPath, [PM2, ...args], { env, cwd: dir, timeoutMs: 300_000 });
      if (r.code !== 0) throw new Error(`pm2 ${args.join(' ')}: exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
      return r;
    };
    const pidFile = join(home, 'pm2.pid');
    let daemonPid = 0;
    const readDaemonPid = async () => {
      await waitUntil(() => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')) > 0, 10_000, 'pm2.pid');
      daemonPid = Number(readFileSync(pidFile, 'utf8'));
      record(daemonPid, 'PM2 daemon');
    };
    await cli('ping'); // starts the daemon
    await readDaemonPid();
    const names = agents.map((a) => a.name);

    return {
      get hostPid() {
        return daemonPid;
      },
      async startAll() {
        const t0 = performance.now();
        await cli('start', eco);
        const commandMs = performance.now() - t0;
        await waitFilesNonEmpty(names.map(out), 300_000);
        return { ms: performance.now() - t0, commandMs };
      },
      stopAll: () => cli('stop', 'all'),
      startOne: (name) => cli('start', eco, '--only', name),
      stopOne: (name) => cli('stop', name),
      /** `pm2 save`, so that `pm2 resurrect` can bring the list back after the kill. */
      prepareReadopt: () => cli('save'),
      async killHost() {
        killPid(daemonPid);
        await waitGone([daemonPid], 10_000);
      },
      /** A new daemon with the saved list: `pm2 resurrect` (it starts the agents again). */
      async restartHost() {
        await cli('resurrect');
        await readDaemonPid();
      },
      async waitRunning(timeoutMs) {
        const list = await waitUntil(
          async () => {
            const r = await cli('jlist');
            const apps = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
            const online = apps.filter((a) => a.pm2_env?.status === 'online' && a.pid > 0);
            return names.every((n) => online.some((a) => a.name === n)) ? online : null;
          },
          timeoutMs,
          'every app online under the new daemon',
          50,
        );
        return new Map(list.map((a) => [a.name, a.pid]));
      },
      async close() {
        await cli('kill').catch(() => {});
        if (daemonPid && alive(daemonPid)) killPid(daemonPid);
        await waitGone([daemonPid], 5000);
      },
    };
  },
};
