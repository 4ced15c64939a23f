// The shutdown signals of a host process (SIGINT, SIGTERM, SIGHUP): the first asks for a graceful
// shutdown, one during it ends the process at once, one after it ends the process with its exit
// code. The listeners stay registered until the process exits. A moment without one of them is a
// moment in which another listener can take itself for the last one: signal-exit, which
// write-file-atomic loads for the length of every atomic write, then removes its own listener
// (Node restores the default action) and sends the signal again, and the host dies by the very
// signal it handles, halfway through its shutdown.

export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ShutdownSignals {
  /** Resolves with the first shutdown signal. */
  readonly first: Promise<NodeJS.Signals>;
  /** The graceful shutdown is over: a later signal exits at once with `process.exitCode`. */
  finished(): void;
}

/**
 * Listens for the shutdown signals from now until the process exits. A signal after the first
 * and before `finished()` calls `onAgain` (which is expected to end the process).
 */
export function listenForShutdown(onAgain: (signal: NodeJS.Signals) => void): ShutdownSignals {
  let phase: 'running' | 'shutting-down' | 'finished' = 'running';
  let resolveFirst: (signal: NodeJS.Signals) => void = () => undefined;
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  const on = (signal: NodeJS.Signals): void => {
    if (phase === 'running') {
      phase = 'shutting-down';
      resolveFirst(signal);
    } else if (phase === 'shutting-down') {
      onAgain(signal);
    } else {
      process.exit();
    }
  };
  for (const s of SHUTDOWN_SIGNALS) process.on(s, on);
  return { first, finished: () => void (phase = 'finished') };
}
