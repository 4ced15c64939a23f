// The `agent-tray` command line: finds the command in the registry (commands.ts), runs it and turns
// errors into readable lines. Commands are added in commands.ts, not here.
import { AgentTrayError } from '../core/errors.js';
import { findCommand, type Line } from './commands.js';
import { commandUsage, usageText } from './help.js';

/** True when a command's arguments ask for its help (before any `--`). */
function asksForHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Runs one command; resolves with the process exit code. */
export async function main(argv: string[], out: Line = console.log, err: Line = console.error): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    out(usageText()); // built when asked, not at every start (shell completion runs the CLI per key press)
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    err(`agent-tray: unknown command "${name}"\n\n${usageText()}`);
    return 2;
  }
  if (asksForHelp(rest) && command.name !== 'help') {
    out(commandUsage(command));
    return 0;
  }
  try {
    return await (await command.load())(rest, out, err);
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
      err(`agent-tray: ${e.message}\n\n${commandUsage(command)}`);
      return 2;
    }
    throw e;
  }
}
