// `agent-tray remove NAME [--stop]`: takes an agent out of agents.json through the running host;
// one that runs is refused unless --stop stops it (its whole tree) first.
import { parseArgs } from 'node:util';
import { ClientError, connect, dataDirFrom, request, requireName, runClientCommand } from './client.js';
import type { Line } from './commands.js';
import { describeStop } from './control.js';

export const REMOVE_USAGE = 'agent-tray remove NAME [--stop] [--data-dir DIR]';

/** Removes it; 0 when removed, 1 when refused (running without --stop, unknown agent). */
export function removeCommand(argv: string[], out: Line, err: Line): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, stop: { type: 'boolean', default: false } } });
    const name = requireName(positionals, REMOVE_USAGE);
    const conn = await connect(dataDirFrom(values['data-dir']));
    try {
      const result = await request(conn, 'removeAgent', { name, stop: values.stop });
      if (result.stopped) out(describeStop('stop', result.stopped));
      out(`${result.removed}: removed from agents.json (its logs stay in the data directory)`);
      return 0;
    } catch (e) {
      // the API's hint speaks of stop=true; on the command line that is --stop
      if (e instanceof ClientError && e.code === 'conflict' && e.message.includes('is running')) throw new ClientError(`Agent "${name}" is running; it was not removed. Stop it first (agent-tray stop ${name}), or stop and remove it with: agent-tray remove ${name} --stop`, e.code);
      throw e;
    }
  });
}
