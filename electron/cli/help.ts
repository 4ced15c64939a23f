// The help text: the command list built from the registry (commands.ts), and one command's usage
// for `agent-tray help COMMAND` and `agent-tray COMMAND --help`.
import { CLI_COMMANDS, findCommand, type CliCommand, type Line } from './commands.js';

/** Where the summaries start. */
const COLUMN = 26;
/** The width summaries are wrapped to. */
const WIDTH = 100;

/** Words wrapped into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A command in the list: its first usage line (without --data-dir, said once below), then its summary, indented. */
function entry(command: CliCommand): string[] {
  const synopsis = (command.brief ?? command.usage[0] ?? command.name).replace(/ \[--data-dir DIR\]( \[--config FILE\])?/, '');
  const summary = wrap(command.summary, WIDTH - COLUMN);
  const pad = ' '.repeat(COLUMN);
  if (synopsis.length + 2 + 2 <= COLUMN) {
    const [first = '', ...rest] = summary;
    return [`  ${synopsis.padEnd(COLUMN - 2)}${first}`, ...rest.map((l) => pad + l)];
  }
  return [`  ${synopsis}`, ...summary.map((l) => pad + l)];
}

/** The full help text: every visible command by section, exit codes, common options. */
export function usageText(): string {
  const visible = CLI_COMMANDS.filter((c) => !c.hidden);
  const local = visible.filter((c) => c.section === 'local').flatMap(entry);
  const host = visible.filter((c) => c.section === 'host').flatMap(entry);
  return [
    'Usage: agent-tray <command> [options]',
    '',
    'Commands:',
    ...local,
    '',
    'Commands that talk to the running host (`agent-tray serve` or the app) of the data directory:',
    ...host,
    '',
    'Exit codes: 0 ok, 1 the action failed (or no host runs), 2 usage error',
    '',
    'Options:',
    '  --data-dir DIR  the data directory (default: AGENT_TRAY_DATA_DIR, else the platform\'s)',
    '  --config FILE   the agents file (default: agents.json in the data directory)',
    '',
    'agent-tray help COMMAND shows one command\'s usage; docs/cli.md has them all.',
  ].join('\n');
}

/** One command's usage: its usage lines and what it does. */
export function commandUsage(command: CliCommand): string {
  const [first = '', ...more] = command.usage;
  return [`Usage: agent-tray ${first}`, ...more.map((u) => `       agent-tray ${u}`), '', ...wrap(command.summary, WIDTH).map((l) => `  ${l}`)].join('\n');
}

/** `agent-tray help [COMMAND]`: the whole help, or one command's usage; 2 for a command that does not exist. */
export function helpCommand(argv: string[], out: Line, err: Line): number {
  const [name, ...extra] = argv;
  if (name === undefined) {
    out(usageText());
    return 0;
  }
  const command = findCommand(name);
  if (!command || extra.length) {
    err(`agent-tray: ${command ? `help takes one COMMAND (got ${argv.join(' ')})` : `no command "${name}"`}; the commands are: ${CLI_COMMANDS.filter((c) => !c.hidden).map((c) => c.name).join(', ')}`);
    return 2;
  }
  out(commandUsage(command));
  return 0;
}
