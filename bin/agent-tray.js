#!/usr/bin/env node
// The agent-tray command: runs the compiled CLI from dist/ (build it with `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/electron/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('agent-tray: the CLI is not built yet; run `npm run build` in the project folder first');
  process.exit(1);
}
await import(entry.href);
