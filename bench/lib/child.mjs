// A long-running child process of the benchmark (a host, a daemon in the foreground, the floor):
// its pid recorded, its output read line by line, and the last lines kept for error messages.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { record } from './processes.mjs';

/**
 * @param {string} command @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, what: string, stdin?: boolean }} opts
 */
export function startChild(command, args, opts) {
  const child = spawn(command, args, {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  record(child.pid, opts.what);
  const tail = [];
  const waiters = new Set();
  const onLine = (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    for (const w of [...waiters]) w(line);
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', (l) => onLine(`! ${l}`));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.on('error', (err) => onLine(`! spawn error: ${err.message}`));
  let done = false;
  void exited.then(() => (done = true));

  return {
    child,
    pid: child.pid,
    exited,
    get done() {
      return done;
    },
    tail: () => tail.join('\n'),
    /** Resolves with the match of the first line (from now on) that matches `re`. @param {RegExp} re */
    waitForLine(re, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`${opts.what}: no line matching ${re} within ${timeoutMs} ms; its last output:\n${tail.join('\n')}`));
        }, timeoutMs);
        const w = (line) => {
          const m = re.exec(line);
          if (m) {
            clearTimeout(timer);
            waiters.delete(w);
            resolve(m);
          }
        };
        waiters.add(w);
        void exited.then(({ code, signal }) => {
          if (!waiters.has(w)) return;
          clearTimeout(timer);
          waiters.delete(w);
          reject(new Error(`${opts.what} exited (${signal ?? code}) before printing ${re}; its last output:\n${tail.join('\n')}`));
        });
      });
    },
  };
}
