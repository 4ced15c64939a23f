#!/usr/bin/env node
// The agent-tray command: runs the compiled CLI from dist/ (build it with `npm run build`).
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// The host (`serve`) runs for days and mostly waits. V8 grows its young generation from 1 MB up
// to 16 MB per semi-space after the burst of loading modules and never gives it back: with growth
// off, the host rests at about 12 MB less memory, and a scavenge of a 1 MB young generation is
// still short. The flag is read when the young generation would grow, so setting it here works.
if (process.argv[2] === 'serve') setFlagsFromString('--semi-space-growth-factor=1');

const entry = new URL('../dist/electron/cli/index.js', import.meta.url);
// a build being swapped in (build/swap.mjs) leaves no dist/ for the moment between two renames
if (!existsSync(entry)) await new Promise((resolve) => setTimeout(resolve, 250));
if (!existsSync(entry)) {
  console.error('agent-tray: the CLI is not built yet; run `npm run build` in the project folder first');
  process.exit(1);
}
await import(entry.href);
