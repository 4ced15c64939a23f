// The floor: bench/floor.mjs, a plain Node parent of the agents, driven over its stdin.
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { startChild } from '../child.mjs';
import { killPid, waitGone } from '../processes.mjs';
import { within } from '../wait.mjs';

const FLOOR = fileURLToPath(new URL('../../floor.mjs', import.meta.url));

export const floor = {
  id: 'floor',
  async available() {
    return { ok: true, version: `node ${process.version}` };
  },

  /** @param {any} _ctx @param {{ name: string, script: string, args: string[], env: Record<string, string> }[]} agents */
  async open(_ctx, agents) {
    const host = startChild(process.execPath, [FLOOR], { what: 'floor', stdin: true });
    const replies = [];
    const waiting = [];
    // replies are JSON lines on its stdout, in order
    createInterface({ input: host.child.stdout }).on('line', (line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      const w = waiting.shift();
      if (w) w(msg);
      else replies.push(msg);
    });
    const next = (timeoutMs) =>
      new Promise((resolve, reject) => {
        if (replies.length) return resolve(replies.shift());
        const timer = setTimeout(() => reject(new Error(`floor: no answer within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((msg) => {
          clearTimeout(timer);
          resolve(msg);
        });
      });
    const send = async (obj, timeoutMs = 120_000) => {
      host.child.stdin.write(JSON.stringify(obj) + '\n');
      const reply = await next(timeoutMs);
      if (!reply.ok) throw new Error(`floor: ${reply.error}`);
      return reply;
    };
    await next(10_000); // ready
    const byName = new Map(agents.map((a) => [a.name, a]));

    return {
      hostPid: host.pid,
      startAll: () => send({ cmd: 'start', agents }),
      stopAll: () => send({ cmd: 'stop' }),
      startOne: (name) => send({ cmd: 'start', agents: [byName.get(name)], wait: false }),
      stopOne: () => send({ cmd: 'stop' }),
      async killHost() {
        killPid(host.pid);
        await host.exited;
      },
      /** The floor has no way to take running agents back. */
      restartHost: null,
      async close() {
        if (!host.done) {
          host.child.stdin.end(); // stops its agents and exits
          await within(host.exited, 5000);
        }
        if (!host.done) killPid(host.pid);
        await waitGone([host.pid], 5000);
      },
    };
  },
};
