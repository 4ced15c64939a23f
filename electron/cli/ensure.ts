// `agent-tray ensure NAME [--timeout 60s]`: for scripts that need an agent before a job. Starts it
// unless it runs (after its dependencies); exit code 0 once it is running and ready (its readyLine
// matched; else healthy, when it has a health probe), 1 with the reason when it could not be.
import { parseArgs } from 'node:util';
import { DurationMsSchema } from '../../shared/commands.js';
import { connect, dataDirFrom, request, requireName, runClientCommand, UsageError } from './client.js';
import { describeStatus } from './control.js';

export const ENSURE_USAGE = 'agent-tray ensure NAME [--timeout 60s] [--data-dir DIR]';

/** How long past its own timeout the host gets to answer before the CLI gives up on it. */
const ANSWER_GRACE_MS = 30_000;

/** "60s", "2m", "500ms" or plain milliseconds; a `UsageError` otherwise. */
export function parseTimeout(text: string): number {
  const parsed = DurationMsSchema.safeParse(/^\d+$/.test(text) ? Number(text) : text);
  if (!parsed.success) throw new UsageError(`--timeout "${text}" is not a duration: use e.g. 500ms, 90s, 2m (at most 60m)\nUsage: ${ENSURE_USAGE}`);
  return parsed.data;
}

export function ensureCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, timeout: { type: 'string', short: 't', default: '60s' } },
    });
    const name = requireName(positionals, ENSURE_USAGE);
    const timeoutMs = parseTimeout(values.timeout);
    const conn = await connect(dataDirFrom(values['data-dir']));
    const status = await request(conn, 'ensureAgent', { name, timeoutMs }, { timeoutMs: timeoutMs + ANSWER_GRACE_MS });
    const { line, ok } = describeStatus(status);
    if (status.state === 'running' && ok) {
      out(status.health === 'healthy' ? `${line}, healthy` : line);
      return 0;
    }
    err(`agent-tray: ${line}`);
    return 1;
  });
}
