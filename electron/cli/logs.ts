// `agent-tray logs NAME [-n 100] [--stream stdout|stderr|all] [--follow]`: an agent's last output
// lines; with --follow, then every new line from the host's event stream until Ctrl-C. Colour and
// other terminal escape codes are kept on a terminal and stripped elsewhere (a file, a pipe);
// --color keeps them, --no-color strips them, NO_COLOR strips them when neither is given.
import { parseArgs, stripVTControlCharacters } from 'node:util';
import type { ApiLogLine } from '../../shared/commands.js';
import type { HostEvent } from '../../shared/events.js';
import type { LogLine, LogStream } from '../../shared/status.js';
import { ClientError, connect, dataDirFrom, hostEvents, request, requireName, runClientCommand, UsageError } from './client.js';

export const LOGS_USAGE = 'agent-tray logs NAME [-n 100] [--stream stdout|stderr|all] [--follow] [--color|--no-color] [--data-dir DIR]';

const STREAMS = ['stdout', 'stderr', 'all'] as const;
type StreamChoice = (typeof STREAMS)[number];


/** `logs --follow` reads the snapshot (the stream is open) and log lines; other events are skipped unparsed. */
const FOLLOWED: ReadonlySet<HostEvent['type']> = new Set(['snapshot', 'log']);

/** A line as printed: stderr lines marked with "! " (as `agent-tray run` does). */
export function formatLogLine(stream: LogStream, text: string): string {
  return stream === 'stderr' ? `! ${text}` : text;
}

/** Whether escape codes stay: the last of --color/--no-color given, else not with NO_COLOR set, else only on a terminal. */
export function keepEscapes(choice: 'color' | 'no-color' | null, isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (choice !== null) return choice === 'color';
  if (env.NO_COLOR) return false;
  return isTTY;
}

/** A line with its terminal escape codes (colours, cursor moves, links) taken out. */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

/** -n: a whole number of lines from 1 to 1000. */
export function parseLineCount(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`-n "${text}" is not a number of lines from 1 to 1000\nUsage: ${LOGS_USAGE}`);
  return n;
}

function parseStream(text: string): StreamChoice {
  if ((STREAMS as readonly string[]).includes(text)) return text as StreamChoice;
  throw new UsageError(`--stream "${text}" is not one of ${STREAMS.join(', ')}\nUsage: ${LOGS_USAGE}`);
}

const key = (at: number, stream: string, text: string) => `${at}\u0000${stream}\u0000${text}`;

/**
 * The lines that arrived on the event stream (subscribed before the last lines were fetched)
 * and are not among the lines already shown: nothing lost between the two, nothing printed twice.
 */
export function linesAfter(shown: readonly ApiLogLine[], arrived: readonly LogLine[]): LogLine[] {
  const last = shown.at(-1);
  if (last) {
    const lastKey = key(Date.parse(last.ts), last.stream, last.text);
    const overlap = arrived.findLastIndex((l) => key(l.at, l.stream, l.text) === lastKey);
    if (overlap !== -1) return arrived.slice(overlap + 1);
  }
  const seen = new Map<string, number>();
  for (const l of shown) {
    const k = key(Date.parse(l.ts), l.stream, l.text);
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return arrived.filter((l) => {
    const k = key(l.at, l.stream, l.text);
    const count = seen.get(k) ?? 0;
    if (count === 0) return true;
    seen.set(k, count - 1);
    return false;
  });
}

export function logsCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals, tokens } = parseArgs({
      args: argv,
      allowPositionals: true,
      tokens: true,
      options: {
        'data-dir': { type: 'string' },
        lines: { type: 'string', short: 'n', default: '100' },
        stream: { type: 'string', default: 'all' },
        follow: { type: 'boolean', short: 'f', default: false },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
      },
    });
    const choice = tokens.findLast((t) => t.kind === 'option' && (t.name === 'color' || t.name === 'no-color'));
    const keep = keepEscapes(choice?.kind === 'option' ? (choice.name as 'color' | 'no-color') : null, process.stdout.isTTY === true);
    const print = (l: { stream: LogStream; text: string }) => out(formatLogLine(l.stream, keep ? l.text : stripAnsi(l.text)));
    const name = requireName(positionals, LOGS_USAGE);
    const lines = parseLineCount(values.lines);
    const stream = parseStream(values.stream);
    const conn = await connect(dataDirFrom(values['data-dir']));

    if (!values.follow) {
      const result = await request(conn, 'agentLogs', { name, lines, stream });
      for (const l of result.lines) print(l);
      return 0;
    }

    // Subscribe first, then fetch the last lines: the lines between the two come from the buffer.
    const controller = new AbortController();
    let interrupted = false;
    const onSigint = () => {
      interrupted = true;
      controller.abort();
    };
    // `logs --follow | head`: the reader went away, which ends following as Ctrl-C does
    const onStdoutError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') onSigint();
    };
    process.on('SIGINT', onSigint);
    process.stdout.on('error', onStdoutError);
    try {
      let live = false;
      const buffered: LogLine[] = [];
      let subscribed!: () => void;
      const ready = new Promise<void>((resolve) => (subscribed = resolve));
      const pump = (async () => {
        for await (const event of hostEvents(conn, controller.signal, FOLLOWED)) {
          subscribed(); // the first event is the snapshot: from here on nothing is missed
          if (event.type !== 'log' || event.name !== name) continue;
          const mine = event.lines.filter((l) => stream === 'all' || l.stream === stream);
          if (live) for (const l of mine) print(l);
          else buffered.push(...mine);
        }
      })();
      pump.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled

      try {
        await Promise.race([ready, pump]);
        const result = await request(conn, 'agentLogs', { name, lines, stream }, { signal: controller.signal });
        for (const l of result.lines) print(l);
        for (const l of linesAfter(result.lines, buffered)) print(l);
        live = true;
        await pump;
      } catch (e) {
        if (interrupted) return 0;
        throw e;
      }
      if (interrupted) return 0;
      throw new ClientError(`The Agent Tray host at ${conn.url} closed the event stream (did it stop?)`, 'unreachable');
    } finally {
      process.off('SIGINT', onSigint);
      process.stdout.off('error', onStdoutError);
      controller.abort();
    }
  });
}
