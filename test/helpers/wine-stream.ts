// A resident Windows helper under Wine as a HelperStream (what the engine's `watch` and `wait`
// use): lines go in through a pipe to its stdin, and its stdout goes to a file that is read as it
// grows (never a pipe: Wine's Windows processes inherit Unix fds, see wine.ts).
import { readFileSync } from 'node:fs';
import type { HelperStream } from '../../electron/core/platform/win-helper.js';
import { startWine, type WineProcess } from './wine.js';

/** How often the stdout file is read for new lines. */
const READ_EVERY_MS = 25;

/** Starts `exe args` under Wine; `dispose` kills it if it still runs and removes its files. */
export function wineHelperStream(exe: string, args: readonly string[]): HelperStream & { dispose: () => Promise<void> } {
  const started: Promise<WineProcess> = startWine(exe, [...args]);
  const listeners: ((line: string) => void)[] = [];
  let offset = 0;
  let partial = '';
  /** Hands the complete lines written since the last read to the listeners. */
  const read = (p: WineProcess): void => {
    const bytes = readFileSync(p.stdoutFile);
    if (bytes.length <= offset) return;
    const text = partial + bytes.subarray(offset).toString('utf8');
    offset = bytes.length;
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) for (const listener of listeners) listener(line.replace(/\r$/, ''));
  };
  const exit = started.then(async (p) => {
    const timer = setInterval(() => read(p), READ_EVERY_MS);
    const code = await p.exited;
    clearInterval(timer);
    read(p);
    return code;
  });
  return {
    write: (line) => void started.then((p) => p.child.stdin?.write(`${line}\n`)),
    onLine: (listener) => void listeners.push(listener),
    exit,
    close: () => void started.then((p) => p.child.stdin?.end()),
    dispose: async () => (await started).dispose(),
  };
}
