// What a log search tests each line with: the text as typed (a literal, linear search), or a
// regular expression. A regular expression can take exponential time on one short line ((a+)+$ on
// "aaaa…b"), and nothing interrupts a RegExp on the thread that runs it: those run in a worker
// thread that a watchdog ends, so a bad pattern costs its request, never the host.
import { Worker } from 'node:worker_threads';
import { escapeRegExp } from '../../../shared/regexp.js';
import { AgentTrayError } from '../errors.js';

export interface MatcherOptions {
  regex: boolean;
  caseSensitive: boolean;
  /** How long one batch of lines may take in the regex worker before the pattern is refused (ms). */
  stallMs: number;
}

export interface LineMatcher {
  /** False when no line of `block` (several lines, cleaned) can match: the block's lines need no look. */
  mayMatch(block: string): boolean;
  /** The indexes of the lines of `texts` that match. */
  match(texts: string[]): Promise<number[]>;
  /** Ends the worker, if one runs. */
  close(): Promise<void>;
}


/** The pattern compiled, or a bad-request naming it and the parser's complaint. */
function compile(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: /, '');
    throw new AgentTrayError('bad-request', `The search pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${reason}`, {
      hint: 'Fix the pattern (a literal character such as ( or [ needs a backslash before it), or search for the text as typed without regex',
      details: { pattern, error: reason },
    });
  }
}

/** The matcher for `query`; throws a bad-request for a regular expression that does not compile. */
export function lineMatcher(query: string, opts: MatcherOptions): LineMatcher {
  const flags = opts.caseSensitive ? '' : 'i';
  if (!opts.regex) {
    const literal = compile(escapeRegExp(query), flags);
    return {
      mayMatch: (block) => literal.test(block),
      match: async (texts) => {
        const hits: number[] = [];
        for (let i = 0; i < texts.length; i++) if (literal.test(texts[i] as string)) hits.push(i);
        return hits;
      },
      close: async () => {},
    };
  }
  compile(query, flags); // a syntax error is the caller's, before any worker starts
  return new RegexWorker(query, flags, opts.stallMs);
}

// The worker's whole program: compile once, then answer each list of lines with the indexes that match.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const re = new RegExp(workerData.source, workerData.flags);
parentPort.on('message', (texts) => {
  const hits = [];
  for (let i = 0; i < texts.length; i++) if (re.test(texts[i])) hits.push(i);
  parentPort.postMessage(hits);
});
`;

/** A regular expression run in a worker thread, one batch at a time, each within `stallMs`. */
class RegexWorker implements LineMatcher {
  private worker: Worker | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly source: string,
    private readonly flags: string,
    private readonly stallMs: number,
  ) {}

  /** A regular expression may match across what a block joins: every block gets its lines tested. */
  mayMatch(): boolean {
    return true;
  }

  /** Starts the worker on first use. */
  private started(): Worker {
    if (this.failure) throw this.failure;
    this.worker ??= new Worker(WORKER_SOURCE, { eval: true, workerData: { source: this.source, flags: this.flags }, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    return this.worker;
  }

  async match(texts: string[]): Promise<number[]> {
    if (texts.length === 0) return [];
    const worker = this.started();
    return new Promise<number[]>((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        fn();
      };
      const onMessage = (hits: number[]) => done(() => resolve(hits));
      const onError = (err: Error) => done(() => reject(this.fail(err)));
      const onExit = () => done(() => reject(this.fail(new Error('the search worker ended'))));
      const timer = setTimeout(() => {
        done(() => reject(this.fail(this.tooSlow(texts.length))));
        void this.close();
      }, this.stallMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(texts);
    });
  }

  /** Remembers the first failure: every later batch fails the same way. */
  private fail(err: Error): Error {
    this.failure ??= err;
    return this.failure;
  }

  /** The error for a pattern that took longer than the watchdog allows. */
  private tooSlow(lines: number): AgentTrayError {
    return new AgentTrayError('bad-request', `The search pattern ${JSON.stringify(this.source)} took more than ${this.stallMs} ms on ${lines} lines of log: it backtracks too much to search with`, {
      hint: 'Simplify it: avoid a repetition inside a repetition, such as (a+)+ or (.*)*, or search for the text as typed without regex',
      details: { pattern: this.source },
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failure ??= new Error('the search is over');
    if (worker) await worker.terminate();
  }
}
