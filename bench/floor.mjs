// The floor: the least a Node parent can do to run N agents. It spawns them with
// child_process.spawn, reads their output through pipes, waits for each one's first line, and on
// command signals them all at once and waits for their exits. The benchmark measures this process
// as the floor of every scenario.
//
// Commands arrive as JSON lines on stdin; each gets one JSON line on stdout:
//   {"cmd":"start","agents":[{"name","script","args","env"}]}  -> {"ok":true,"pids":{name:pid}} once every agent printed a line
//   {"cmd":"stop"}                                               -> {"ok":true,"exits":N} once every agent exited (SIGTERM to all)
//   {"cmd":"start","agents":[...],"wait":false}                  -> the same once every agent was spawned
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** name -> child process of the agents that have not exited yet. */
const running = new Map();

const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

function launch(agent) {
  const child = spawn(process.execPath, [agent.script, ...(agent.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...agent.env },
  });
  running.set(agent.name, child);
  child.on('exit', () => running.delete(agent.name));
  child.stderr.resume();
  return child;
}

function start(agents, waitForLine = true) {
  return new Promise((resolve) => {
    let waiting = agents.length;
    const pids = {};
    if (!waiting) resolve({ ok: true, pids });
    for (const agent of agents) {
      const child = launch(agent);
      pids[agent.name] = child.pid;
      if (!waitForLine) {
        // started is enough (what the other tools' start commands answer): wait for the spawn
        child.stdout.resume();
        child.once('spawn', () => {
          if (--waiting === 0) resolve({ ok: true, pids });
        });
        continue;
      }
      let seen = false;
      child.stdout.on('data', (chunk) => {
        // the first complete line; later output is read and dropped
        if (!seen && chunk.includes(10)) {
          seen = true;
          if (--waiting === 0) resolve({ ok: true, pids });
        }
      });
      child.on('exit', () => {
        if (!seen) {
          seen = true;
          if (--waiting === 0) resolve({ ok: true, pids });
        }
      });
    }
  });
}

function stop() {
  const children = [...running.values()];
  return Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  ).then(() => ({ ok: true, exits: children.length }));
}

const rl = createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return reply({ ok: false, error: `not JSON: ${line}` });
  }
  try {
    if (msg.cmd === 'start') reply(await start(msg.agents, msg.wait !== false));
    else if (msg.cmd === 'stop') reply(await stop());
    else reply({ ok: false, error: `unknown command ${msg.cmd}` });
  } catch (err) {
    reply({ ok: false, error: String(err) });
  }
});
// the benchmark closing our stdin means: stop everything and leave
rl.on('close', () => {
  void stop().then(() => process.exit(0));
});
reply({ ok: true, ready: process.pid });
