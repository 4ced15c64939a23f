// The stack scenario (issue 15): `chains` independent chains of `depth` agents, each needing the
// one before it ready (its ready line printed). Measured: from the start-all command until every
// agent is ready. Agent Tray gets the stack as agents.json (`dependsOn: { prev: "ready" }`,
// `readyLine`) and one POST /api/agents/start-all; the floor is bench/stack-floor.mjs, a plain
// script that starts each agent once its dependency printed its line. Other tools have no
// dependencies to drive and are skipped. Every process is ended by its pid, also on failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './child.mjs';
import { MARKER } from './procfs.mjs';
import { endRecorded, killPid, recordMarked, waitGone } from './processes.mjs';
import { connectEvents } from './sse.mjs';
import { within } from './wait.mjs';
import { agentTray } from './tools/agent-tray.mjs';

const STACK_AGENT = fileURLToPath(new URL('../stack-agent.mjs', import.meta.url));
const STACK_FLOOR = fileURLToPath(new URL('../stack-floor.mjs', import.meta.url));
const READY_LINE = '^ready ';

/** The stack's agents: chain i, level j is `c{i}l{j}`, needing `c{i}l{j-1}`; ready files under `dir`. */
export function stackAgents(runId, dir, { chains, depth, readyMs }) {
  const agents = [];
  for (let c = 0; c < chains; c++) {
    for (let l = 0; l < depth; l++) {
      const name = `c${c}l${l}`;
      const prev = l > 0 ? `c${c}l${l - 1}` : null;
      agents.push({
        name,
        script: STACK_AGENT,
        args: [runId, name],
        env: {
          [MARKER]: `${runId}:${name}`,
          READY_MS: String(readyMs),
          READY_FILE: join(dir, `${name}.ready`),
          ...(prev ? { NEEDS: join(dir, `${prev}.ready`) } : {}),
        },
        dependsOn: prev ? [prev] : [],
        readyLine: READY_LINE,
      });
    }
  }
  return agents;
}

/** Resolves/rejects by hand, with a deadline that names what was awaited. */
function deferred(timeoutMs, what) {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`)), timeoutMs);
  void promise.then(() => clearTimeout(timer), () => clearTimeout(timer));
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Agent Tray: agents.json with dependsOn and readyLine, start-all over REST, `ready` events off the stream. */
async function agentTrayStack(ctx, agents) {
  const session = await agentTray.open(
    ctx,
    agents.map((a) => ({ ...a, definition: { dependsOn: Object.fromEntries(a.dependsOn.map((d) => [d, 'ready'])), readyLine: a.readyLine } })),
  );
  try {
    const ready = new Set();
    let snapshot = false;
    const snapshotSeen = deferred(10_000, () => 'the event stream snapshot');
    const allReady = deferred(120_000, () => `every agent ready (${ready.size} of ${agents.length})`);
    const events = await connectEvents(session.eventsUrl(), (type, data) => {
      if (type === 'snapshot') {
        snapshot = true;
        snapshotSeen.resolve();
      } else if (type === 'ready') {
        ready.add(data.name);
        if (snapshot && ready.size === agents.length) allReady.resolve();
      } else if (type === 'state' && ['crashed', 'errored', 'backoff'].includes(data.to)) {
        allReady.reject(new Error(`${data.name} went ${data.to}: ${data.reason?.message ?? ''}`));
      }
    });
    try {
      await snapshotSeen.promise;
      const t0 = performance.now();
      const answer = session.api('POST', '/api/agents/start-all');
      answer.then((r) => {
        const bad = r.results.filter((x) => !x.ok);
        if (bad.length) allReady.reject(new Error(`start-all: ${bad.length} failed, e.g. ${JSON.stringify(bad[0]).slice(0, 300)}`));
      }, allReady.reject);
      await allReady.promise;
      const readyMs = performance.now() - t0;
      await answer;
      await session.stopAll();
      return { readyMs };
    } finally {
      events.close();
    }
  } finally {
    await session.close();
  }
}

/** The floor: bench/stack-floor.mjs over a JSON file of the stack; `start` on its stdin, its answer once all are ready. */
async function floorStack(ctx, agents) {
  const dir = ctx.tmp('stack-floor');
  const file = join(dir, 'stack.json');
  writeFileSync(file, JSON.stringify(agents));
  const host = startChild(process.execPath, [STACK_FLOOR, file], { what: 'stack floor', stdin: true });
  try {
    await host.waitForLine(/"ready":\d+/, 10_000);
    const answer = host.waitForLine(/^\{"ok":/, 120_000);
    const t0 = performance.now();
    host.child.stdin.write('start\n');
    const line = await answer;
    const readyMs = performance.now() - t0;
    const reply = JSON.parse(line.input);
    if (!reply.ok) throw new Error(`stack floor: ${reply.error}`);
    return { readyMs };
  } finally {
    host.child.stdin.end(); // stops its agents and exits
    await within(host.exited, 5000);
    if (!host.done) killPid(host.pid);
    await waitGone([host.pid], 5000);
  }
}

const RUNNERS = { floor: floorStack, 'agent-tray': agentTrayStack };

/** Whether the tool can run the stack scenario (it has dependencies to drive). */
export const runsStacks = (toolId) => Object.hasOwn(RUNNERS, toolId);

/**
 * One run of the stack scenario with one tool: a sample of `readyMs` (start-all → every agent ready),
 * n = chains × depth agents.
 */
export async function stack(toolId, ctx, { rep, chains, depth, readyMs }) {
  const runId = ctx.nextRunId();
  const n = chains * depth;
  const base = { tool: toolId, scenario: 'stack', n, rep };
  try {
    const dir = ctx.tmp('stack-ready');
    mkdirSync(dir, { recursive: true });
    const agents = stackAgents(runId, dir, { chains, depth, readyMs });
    const { readyMs: ms } = await RUNNERS[toolId](ctx, agents);
    // the agents' own loading, which no tool can shorten: depth × readyMs along each chain
    return { ...base, ok: true, metrics: { readyMs: ms, overheadMs: ms - depth * readyMs } };
  } catch (err) {
    ctx.log(`  ${toolId}: stack failed: ${err.message}`);
    return { ...base, ok: false, error: String(err?.message ?? err).split('\n')[0].slice(0, 300), metrics: {} };
  } finally {
    recordMarked(`${runId}:`);
    await endRecorded();
  }
}
