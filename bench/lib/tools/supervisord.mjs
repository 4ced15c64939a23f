// supervisord (Debian's package), with its own config, unix socket and logs in a temporary folder,
// run in the foreground (`-n`) as our child; driven through `supervisorctl -c <conf>`; "printed
// its first line" is read off the log files it writes for each program.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from '../child.mjs';
import { killPid, runCommand, waitGone } from '../processes.mjs';
import { waitFilesNonEmpty, waitUntil, within } from '../wait.mjs';

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** The value of an ini setting: quoted when it holds characters the ini parser would read otherwise. */
const q = (v) => `"${String(v).replace(/(["\\])/g, '\\$1')}"`;

export const supervisord = {
  id: 'supervisord',
  async available() {
    const d = which('supervisord');
    const c = which('supervisorctl');
    if (!d || !c) return { ok: false, reason: 'supervisord is not installed (Debian: apt-get install -y supervisor)' };
    try {
      return { ok: true, version: execFileSync(d, ['--version'], { encoding: 'utf8' }).trim() };
    } catch (err) {
      return { ok: false, reason: `supervisord --version failed: ${err.message}` };
    }
  },

  /**
   * @param {{ tmp: (what: string) => string }} ctx
   * @param {{ name: string, script: string, args: string[], env: Record<string, string>, oneShot?: boolean }[]} agents
   */
  async open(ctx, agents) {
    const dir = ctx.tmp('supervisord');
    const logs = join(dir, 'logs');
    mkdirSync(logs, { recursive: true });
    const conf = join(dir, 'supervisord.conf');
    const sock = join(dir, 'supervisor.sock');
    const out = (name) => join(logs, `${name}.out.log`);
    const lines = [
      '[unix_http_server]',
      `file=${sock}`,
      'chmod=0700',
      '',
      '[supervisord]',
      `logfile=${join(dir, 'supervisord.log')}`,
      `pidfile=${join(dir, 'supervisord.pid')}`,
      `childlogdir=${logs}`,
      'nodaemon=true',
      'user=root',
      '',
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      '',
      '[supervisorctl]',
      `serverurl=unix://${sock}`,
      '',
    ];
    for (const a of agents) {
      lines.push(
        `[program:${a.name}]`,
        `command=${[process.execPath, a.script, ...a.args].join(' ')}`,
        `environment=${Object.entries(a.env).map(([k, v]) => `${k}=${q(v)}`).join(',')}`,
        'autostart=false',
        `autorestart=${a.oneShot ? 'false' : 'unexpected'}`,
        // 0: RUNNING as soon as it is spawned (the default 1 s would make `start` wait a second
        // and would count the flooder, which exits within a second, as a failed start)
        'startsecs=0',
        'stopsignal=TERM',
        `stdout_logfile=${out(a.name)}`,
        `stderr_logfile=${join(logs, `${a.name}.err.log`)}`,
        '',
      );
    }
    writeFileSync(conf, lines.join('\n'));
    const ctl = async (...args) => {
      const r = await runCommand('supervisorctl', ['-c', conf, ...args], { timeoutMs: 300_000 });
      // supervisorctl exits non-zero when a program is not in the state asked for
      if (r.code !== 0 && !(args[0] === 'status' && r.code === 3)) throw new Error(`supervisorctl ${args.join(' ')}: exit ${r.code}: ${(r.stdout + r.stderr).trim().split('\n').slice(-3).join(' ')}`);
      return r;
    };
    let host = null;
    const launch = async () => {
      host = startChild('supervisord', ['-c', conf, '-n'], { what: 'supervisord' });
      // up once its socket answers
      await waitUntil(
        async () => {
          if (host.done) throw new Error(`supervisord exited: ${host.tail()}`);
          if (!existsSync(sock)) return false;
          const r = await runCommand('supervisorctl', ['-c', conf, 'pid'], { timeoutMs: 10_000 });
          return r.code === 0 && /^\d+$/.test(r.stdout.trim());
        },
        30_000,
        'supervisord to answer on its socket',
        50,
      );
    };
    await launch();
    const names = agents.map((a) => a.name);

    return {
      get hostPid() {
        return host.pid;
      },
      async startAll() {
        const t0 = performance.now();
        const command = ctl('start', 'all');
        command.catch(() => {});
        await waitFilesNonEmpty(names.map(out), 300_000);
        const ms = performance.now() - t0;
        await command;
        return { ms, commandMs: performance.now() - t0 };
      },
      stopAll: () => ctl('stop', 'all'),
      startOne: (name) => ctl('start', name),
      stopOne: (name) => ctl('stop', name),
      async killHost() {
        killPid(host.pid);
        await host.exited;
      },
      /** A new supervisord with the same config, then `supervisorctl start all` (the programs are not autostart). */
      async restartHost() {
        await launch();
        await ctl('start', 'all');
      },
      async waitRunning(timeoutMs) {
        const pids = await waitUntil(
          async () => {
            const r = await ctl('status');
            const found = new Map();
            for (const line of r.stdout.split('\n')) {
              const m = /^(\S+)\s+RUNNING\s+pid (\d+)/.exec(line);
              if (m) found.set(m[1], Number(m[2]));
            }
            return names.every((n) => found.has(n)) ? found : null;
          },
          timeoutMs,
          'every program RUNNING under the new supervisord',
          50,
        );
        return pids;
      },
      async close() {
        if (host && !host.done) {
          killPid(host.pid, 'SIGTERM'); // supervisord stops its programs, then exits
          await within(host.exited, 15_000);
          if (!host.done) killPid(host.pid);
        }
        if (host) await waitGone([host.pid], 5000);
      },
    };
  },
};
