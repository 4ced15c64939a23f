// The `agent-tray` command line: dispatches to one command and turns errors into readable lines.
import { AgentTrayError } from '../core/errors.js';
import { checkCommand } from './check.js';
import { pathsCommand } from './paths-command.js';
import { runCommand } from './run.js';

export const USAGE = `Usage: agent-tray <command> [options]

Commands:
  run [NAME...]   start the named agents (default: all) in the foreground and stream their
                  output; Ctrl-C stops them, with every process they started
  check           validate agents.json and show what each agent would run
  paths           show the data directory, the agents file, logs and PID files
  help            show this help

Options:
  --data-dir DIR  the data directory (default: AGENT_TRAY_DATA_DIR, else the platform's)
  --config FILE   the agents file (default: agents.json in the data directory)`;

/** Runs one command; resolves with the process exit code. */
export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, out);
      case 'check':
        return await checkCommand(rest, out);
      case 'paths':
        return pathsCommand(rest, out);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return 0;
      default:
        err(`agent-tray: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof AgentTrayError) {
      const issues = e.details.issues;
      if (Array.isArray(issues) && issues.length > 1) {
        // one problem a line reads better than one long sentence
        err(`agent-tray: ${String(e.details.file ?? 'the agents file')} has ${issues.length} problems:`);
        for (const issue of issues) err(`  - ${String(issue)}`);
        if (e.hint) err(e.hint);
      } else err(`agent-tray: ${e.message}`);
      return 2;
    }
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`agent-tray: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
