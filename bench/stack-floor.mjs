// The stack scenario's floor: what a plain Node script does to start a stack in order. Each agent
// is spawned once every agent it depends on has printed its ready line (independent chains start in
// parallel), and counts as ready when its own line matches. No supervision, no restarts, no files.
//
// `node bench/stack-floor.mjs STACK.json` (a list of { name, script, args, env, dependsOn: [names],
// readyLine }) prints {"ok":true,"ready":PID}; a `start` line on stdin starts the stack and answers
// {"ok":true,"pids":{name:pid}} once every agent is ready (or {"ok":false,"error"}); closing stdin
// sends SIGTERM to every agent and exits once they are gone.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const agents = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byName = new Map(agents.map((a) => [a.name, a]));
const children = new Map();
const ready = new Map();
const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

/** Spawns one agent; resolves once a line of its stdout matches its readyLine, rejects if it exits first. */
function spawnReady(agent) {
  return new Promise((resolve, reject) => {
    // detached (a session of its own) as Agent Tray's agents are: with the kernel's autogroup
    // scheduling each session gets its share of the CPU, so on a busy machine agents that share
    // the script's session start slower (measured: 10 at once, 860 ms against 430 ms)
    const child = spawn(process.execPath, [agent.script, ...agent.args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...agent.env }, detached: true });
    children.set(agent.name, child);
    const pattern = new RegExp(agent.readyLine);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (pattern.test(line)) resolve(child.pid);
    });
    child.on('exit', (code) => reject(new Error(`${agent.name} exited with ${code} before it was ready: ${stderr.trim()}`)));
  });
}

/** Starts an agent after its dependencies are ready (each agent once). */
function start(name) {
  if (!ready.has(name)) {
    const agent = byName.get(name);
    ready.set(name, Promise.all(agent.dependsOn.map(start)).then(() => spawnReady(agent)));
  }
  return ready.get(name);
}

const rl = createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  if (line.trim() !== 'start') return reply({ ok: false, error: `unknown command ${line}` });
  try {
    const pids = await Promise.all(agents.map((a) => start(a.name)));
    reply({ ok: true, pids: Object.fromEntries(agents.map((a, i) => [a.name, pids[i]])) });
  } catch (err) {
    reply({ ok: false, error: err.message });
  }
});
rl.on('close', () => {
  const live = [...children.values()].filter((c) => c.exitCode === null && c.signalCode === null);
  if (!live.length) process.exit(0);
  let left = live.length;
  for (const c of live) {
    c.once('exit', () => --left === 0 && process.exit(0));
    c.kill('SIGTERM');
  }
});
reply({ ok: true, ready: process.pid });
