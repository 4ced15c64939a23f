// What the Windows lane needs before any test runs (Wine with its prefix, node.exe, the built
// dist/ with the helper), the agents it defines, and small waits on processes and files.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeExe } from '../../helpers/node-win.js';
import { ensureWinePrefix, wineUnavailableReason, winPath } from '../../helpers/wine.js';
import { waitFor } from '../../helpers/wait.js';
import { aliveOf, helperMissingReason } from './helper.js';

const BUILT_CLI = fileURLToPath(new URL('../../../dist/electron/cli/index.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/agents/', import.meta.url));
const LANE_FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface Lane {
  /** The Linux path of node.exe. */
  nodeExe: string;
  /** How long creating the Wine prefix took in this run (0 when it existed). */
  prefixMs: number;
}

/** The lane, or the one-line reason it cannot run here. */
export async function openLane(): Promise<Lane | string> {
  const noWine = wineUnavailableReason();
  if (noWine) return noWine;
  const node = await nodeExe();
  if (!node.path) return `no Windows node.exe: ${node.reason}`;
  const noHelper = helperMissingReason();
  if (noHelper) return noHelper;
  if (!existsSync(BUILT_CLI)) return `the CLI is not built (${BUILT_CLI}); run \`node build/build.mjs\``;
  const started = performance.now();
  await ensureWinePrefix();
  return { nodeExe: node.path, prefixMs: Math.round(performance.now() - started) };
}

/** A fixture script as node.exe sees it (Z:\...); `lane` fixtures live beside this file. */
export function fixtureWin(name: string, lane = false): string {
  return winPath(path.join(lane ? LANE_FIXTURES : FIXTURES, name));
}

/** An agent run by node.exe. */
export function nodeAgent(lane: Lane, name: string, script: string, extra: Record<string, unknown> = {}, laneFixture = false): Record<string, unknown> {
  return { name, command: winPath(lane.nodeExe), args: [fixtureWin(script, laneFixture)], ...extra };
}

/** An agent run by `cmd /c`: cmd prints a line itself, then runs node.exe with a fixture (cmd stays as the parent: a tree of two). */
export function cmdAgent(lane: Lane, name: string, script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, command: 'cmd', args: ['/c', `echo cmd-says-hello& ${winPath(lane.nodeExe)} ${fixtureWin(script)}`], ...extra };
}

/** Writes agents.json into a data directory. */
export async function writeAgents(dataDir: string, agents: Record<string, unknown>[]): Promise<void> {
  await writeFile(path.join(dataDir, 'agents.json'), JSON.stringify({ agents }, null, 2));
}

/** Waits until a file's text matches. */
export async function waitForText(file: string, pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
  let match: RegExpExecArray | null = null;
  await waitFor(
    () => {
      match = pattern.exec(readText(file));
      return match !== null;
    },
    timeoutMs,
    what,
    100,
  );
  return match as unknown as RegExpExecArray;
}

/** A file's text ('' when missing). */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Waits until none of `pids` is alive, as the helper's `info` says; the ones still alive at the deadline are named. */
export async function waitAllGone(pids: number[], timeoutMs: number): Promise<void> {
  let left = pids;
  await waitFor(
    async () => {
      left = await aliveOf(left);
      return left.length === 0;
    },
    timeoutMs,
    `pids ${pids.join(', ')} to be gone (still alive: ${left.join(', ')})`,
    200,
  ).catch(() => {
    throw new Error(`still alive after ${timeoutMs} ms (helper info): ${left.join(', ')} of ${pids.join(', ')}`);
  });
}
