// The list of `agent-tray` commands: name, usage, what each does, its options (for `help`, the
// USAGE text and shell completion) and how to load its handler. main.ts dispatches from it;
// completion.ts reads it. A command is one entry here and one file in electron/cli/; handlers
// load on demand, so a quick command (`status --names` from a completion script) loads little.

/** Prints one line. */
export type Line = (line: string) => void;

/** A command's handler: its arguments (after the command name), out and err; resolves with the exit code. */
export type Handler = (argv: string[], out: Line, err: Line) => Promise<number> | number;

export interface CliCommand {
  name: string;
  /** The usage lines, without the leading `agent-tray `. */
  usage: string[];
  /** The usage shown in the command list when the first usage line is too long for it. */
  brief?: string;
  /** What it does, for the command list (one or more lines). */
  summary: string;
  /** Where the command list shows it: commands of the data directory, or commands that talk to the running host. */
  section: 'local' | 'host';
  /** Its options as typed, `--data-dir` included where it has it (completion offers them). */
  options: string[];
  /** Every option that takes a value, with the values completion offers ([] for free text); `@agents`, `@groups`, `@commands` stand for those names, `@files` and `@dirs` for paths. */
  optionValues?: Record<string, string[]>;
  /** What each positional is, for completion: a source as in optionValues (`@agents`) or words joined by `|`; a last one ending in `...` repeats. */
  args: string[];
  /** Not listed in help (helpers for completion scripts). */
  hidden?: boolean;
  /** Loads its handler. */
  load: () => Promise<Handler>;
}

const DATA = '--data-dir';

export const CLI_COMMANDS: readonly CliCommand[] = [
  {
    name: 'run',
    usage: ['run [NAME...] [--data-dir DIR] [--config FILE]'],
    summary: 'start the named agents (default: all) in the foreground and stream their output; Ctrl-C stops them, with every process they started',
    section: 'local',
    options: [DATA, '--config'],
    optionValues: { '--config': ['@files'], [DATA]: ['@dirs'] },
    args: ['@agents...'],
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'check',
    usage: ['check [--data-dir DIR] [--config FILE]'],
    summary: 'validate agents.json and show what each agent would run',
    section: 'local',
    options: [DATA, '--config'],
    optionValues: { '--config': ['@files'], [DATA]: ['@dirs'] },
    args: [],
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'paths',
    usage: ['paths [--data-dir DIR] [--config FILE]'],
    summary: 'show the data directory, the agents file, logs and PID files',
    section: 'local',
    options: [DATA, '--config'],
    optionValues: { '--config': ['@files'], [DATA]: ['@dirs'] },
    args: [],
    load: async () => (await import('./paths-command.js')).pathsCommand,
  },
  {
    name: 'serve',
    usage: ['serve [--host H] [--port N] [--stop-agents-on-exit] [--data-dir DIR] [--config FILE]'],
    summary: 'the headless host: REST API, event stream and UI on http://127.0.0.1:4821 (--port 0: any free port)',
    section: 'local',
    options: [DATA, '--config', '--host', '--port', '--stop-agents-on-exit'],
    optionValues: { '--config': ['@files'], [DATA]: ['@dirs'], '--host': ['127.0.0.1', '0.0.0.0'], '--port': [] },
    args: [],
    // loaded on demand: the HTTP stack is not needed by the other commands
    load: async () => (await import('../server/serve.js')).serveCommand,
  },
  {
    name: 'secret',
    usage: ['secret set NAME KEY [--value-from-env VAR] [--data-dir DIR]', 'secret list NAME [--json] [--data-dir DIR]', 'secret remove NAME KEY [--data-dir DIR]'],
    brief: 'secret set|list|remove NAME [KEY]',
    summary: 'keep an agent\'s secret variables out of agents.json: stored beside the data (0600, or the system keychain), injected at start (set reads the value from stdin or a prompt)',
    section: 'local',
    options: [DATA, '--config', '--value-from-env', '--json'],
    optionValues: { '--value-from-env': [], '--config': ['@files'], [DATA]: ['@dirs'] },
    args: ['set|list|remove|rm', '@agents'],
    load: async () => (await import('./secret.js')).secretCommand,
  },
  {
    name: 'completion',
    usage: ['completion bash|zsh|fish|powershell'],
    summary: 'print a shell completion script (commands, options, agent names); docs/cli.md shows how to install it',
    section: 'local',
    options: [],
    args: ['bash|zsh|fish|powershell'],
    load: async () => (await import('./completion.js')).completionCommand,
  },
  {
    name: 'help',
    usage: ['help [COMMAND]'],
    summary: 'show this help, or one command\'s usage',
    section: 'local',
    options: [],
    args: ['@commands'],
    load: async () => (await import('./help.js')).helpCommand,
  },
  {
    name: 'status',
    usage: ['status [--json] [--wide] [--data-dir DIR]'],
    summary: 'every agent: name, state ("waiting for model (healthy)"), pid, uptime, port, and why it failed (--wide: errors in full)',
    section: 'host',
    options: [DATA, '--json', '--wide'],
    optionValues: { [DATA]: ['@dirs'] },
    args: [],
    load: async () => (await import('./status.js')).statusCommand,
  },
  {
    name: 'start',
    usage: ['start NAME [--data-dir DIR]', 'start --group GROUP'],
    summary: 'start an agent (after its dependencies); answers once it runs (exit code 1 if it failed); --group: every agent of a group, a line each',
    section: 'host',
    options: [DATA, '--group'],
    optionValues: { '--group': ['@groups'], [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => controlHandler('start'),
  },
  {
    name: 'stop',
    usage: ['stop NAME [--with-dependents] [--data-dir DIR]', 'stop --group GROUP'],
    summary: 'stop an agent and every process it started (--with-dependents: the agents that depend on it first); --group: a group, dependents first',
    section: 'host',
    options: [DATA, '--group', '--with-dependents'],
    optionValues: { '--group': ['@groups'], [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => controlHandler('stop'),
  },
  {
    name: 'restart',
    usage: ['restart NAME [--data-dir DIR]'],
    summary: 'stop, then start',
    section: 'host',
    options: [DATA],
    optionValues: { [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => controlHandler('restart'),
  },
  {
    name: 'kill',
    usage: ['kill NAME [--data-dir DIR]'],
    summary: 'end an agent\'s whole process tree at once',
    section: 'host',
    options: [DATA],
    optionValues: { [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => controlHandler('kill'),
  },
  {
    name: 'start-all',
    usage: ['start-all [--data-dir DIR]'],
    summary: 'start every agent (each after its dependencies); a line each, exit code 1 naming those that failed',
    section: 'host',
    options: [DATA],
    optionValues: { [DATA]: ['@dirs'] },
    args: [],
    load: async () => bulkHandler('start-all'),
  },
  {
    name: 'stop-all',
    usage: ['stop-all [--data-dir DIR]'],
    summary: 'stop every agent, dependents before their dependencies; a line each',
    section: 'host',
    options: [DATA],
    optionValues: { [DATA]: ['@dirs'] },
    args: [],
    load: async () => bulkHandler('stop-all'),
  },
  {
    name: 'restart-all',
    usage: ['restart-all [--data-dir DIR]'],
    summary: 'restart every agent that runs (stopped ones stay stopped); a line each',
    section: 'host',
    options: [DATA],
    optionValues: { [DATA]: ['@dirs'] },
    args: [],
    load: async () => bulkHandler('restart-all'),
  },
  {
    name: 'ensure',
    usage: ['ensure NAME [--timeout 60s] [--data-dir DIR]'],
    summary: 'start it unless it runs; exit code 0 once it runs and is ready (readyLine matched, else health probe passes), 1 with the reason',
    section: 'host',
    options: [DATA, '--timeout'],
    optionValues: { '--timeout': ['30s', '60s', '5m'], [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => (await import('./ensure.js')).ensureCommand,
  },
  {
    name: 'graph',
    usage: ['graph [--json] [--data-dir DIR]'],
    summary: 'the dependency tree: each agent\'s dependencies, their conditions, and whether each holds now',
    section: 'host',
    options: [DATA, '--json'],
    optionValues: { [DATA]: ['@dirs'] },
    args: [],
    load: async () => (await import('./graph.js')).graphCommand,
  },
  {
    name: 'logs',
    usage: ['logs NAME [-n 100] [--stream stdout|stderr|all] [--follow] [--color|--no-color] [--data-dir DIR]'],
    summary: 'its last lines (stderr marked "! "); --follow streams new ones until Ctrl-C; colour codes kept only on a terminal (--color keeps them, --no-color strips them)',
    section: 'host',
    options: [DATA, '-n', '--lines', '--stream', '--follow', '--color', '--no-color'],
    optionValues: { '--stream': ['stdout', 'stderr', 'all'], '-n': [], '--lines': [], [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => (await import('./logs.js')).logsCommand,
  },
  {
    name: 'open',
    usage: ['open [NAME [--url]] [--print] [--data-dir DIR]'],
    summary: 'open the window (the host\'s web UI) in the default browser, at an agent when NAME is given; --url opens what the agent serves instead; --print prints the URL instead',
    section: 'host',
    options: [DATA, '--print', '--url'],
    optionValues: { [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => (await import('./open.js')).openCommand,
  },
  {
    name: 'add',
    usage: ['add NAME [--cwd DIR] [--env K=V]... [--env-file FILE]... [--port N] [--group G]... [--depends-on NAME[=CONDITION]]... [--description TEXT] [--data-dir DIR] -- COMMAND [ARGS...]'],
    brief: 'add NAME [--cwd DIR] [--env K=V]... [OPTIONS] -- COMMAND [ARGS...]',
    summary: 'define a new agent (saved to agents.json by the host, checked like any definition)',
    section: 'host',
    options: [DATA, '--cwd', '--env', '--env-file', '--port', '--group', '--depends-on', '--description'],
    optionValues: { '--cwd': ['@dirs'], '--env': [], '--env-file': ['@files'], '--port': [], '--group': ['@groups'], '--depends-on': ['@agents'], '--description': [], [DATA]: ['@dirs'] },
    args: [],
    load: async () => (await import('./add.js')).addCommand,
  },
  {
    name: 'remove',
    usage: ['remove NAME [--stop] [--data-dir DIR]'],
    summary: 'remove an agent from agents.json (one that runs: --stop stops it first)',
    section: 'host',
    options: [DATA, '--stop'],
    optionValues: { [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => (await import('./remove.js')).removeCommand,
  },
  {
    name: 'edit',
    usage: ['edit NAME [--data-dir DIR]', 'edit NAME --from FILE'],
    summary: 'open the agent\'s definition (JSON) in $VISUAL or $EDITOR; saved when the host finds it valid, else shown with the reason; --from FILE saves a definition written before',
    section: 'host',
    options: [DATA, '--from'],
    optionValues: { '--from': ['@files'], [DATA]: ['@dirs'] },
    args: ['@agents'],
    load: async () => (await import('./edit.js')).editCommand,
  },
  {
    name: 'import',
    usage: ['import FILE [--dry-run] [--prefix P] [--allow-code] [--json] [--data-dir DIR]'],
    summary: 'add the agents of a Procfile, process-compose.yaml or PM2 ecosystem file to the running host (--dry-run: show what it would add)',
    section: 'host',
    options: [DATA, '--dry-run', '--prefix', '--allow-code', '--json'],
    optionValues: { [DATA]: ['@dirs'], '--prefix': [] },
    args: ['@files'],
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    name: 'export',
    usage: ['export --to process-compose|systemd|kubernetes [--out DIR [--force]] [--image NAME=IMAGE]... [--json] [--data-dir DIR] [--config FILE] [NAME...]'],
    brief: 'export --to process-compose|systemd|kubernetes [--out DIR] [NAME...]',
    summary: 'write the agents as a process-compose.yaml, systemd user units or Kubernetes manifests, listing what the target cannot express',
    section: 'host',
    options: [DATA, '--config', '--to', '--out', '--force', '--image', '--json'],
    optionValues: { '--to': ['process-compose', 'systemd', 'kubernetes'], '--out': ['@dirs'], '--image': [], '--config': ['@files'], [DATA]: ['@dirs'] },
    args: ['@agents...'],
    load: async () => (await import('./export.js')).exportCommand,
  },
  {
    name: 'mcp',
    usage: ['mcp [--data-dir DIR]'],
    summary: 'a Model Context Protocol server on stdio for AI clients (Claude Desktop, Cursor, VS Code): list, start, stop, ensure agents, read their logs (docs/mcp.md)',
    section: 'host',
    options: [DATA],
    optionValues: { [DATA]: ['@dirs'] },
    args: [],
    load: async () => (await import('./mcp.js')).mcpCommand,
  },
  {
    name: '__complete',
    usage: ['__complete [--describe] [--next] -- WORDS...'],
    summary: 'for completion scripts: the candidates for the last of WORDS (the words after agent-tray; --next: a new empty word follows), one a line (--describe: a tab and a description after each); agent names come from agents.json, no host needed',
    section: 'local',
    options: [DATA, '--config'],
    optionValues: { '--config': ['@files'], [DATA]: ['@dirs'] },
    args: [],
    hidden: true,
    load: async () => (await import('./complete-words.js')).completeWordsCommand,
  },
];

/** The handler of start|stop|restart|kill. */
async function controlHandler(action: 'start' | 'stop' | 'restart' | 'kill'): Promise<Handler> {
  const { controlCommand } = await import('./control.js');
  return (argv, out, err) => controlCommand(action, argv, out, err);
}

/** The handler of start-all|stop-all|restart-all. */
async function bulkHandler(action: 'start-all' | 'stop-all' | 'restart-all'): Promise<Handler> {
  const { bulkCommand } = await import('./bulk.js');
  return (argv, out, err) => bulkCommand(action, argv, out, err);
}

/** The command of that name (hidden ones included), or undefined. */
export function findCommand(name: string): CliCommand | undefined {
  return CLI_COMMANDS.find((c) => c.name === name);
}

/** The commands a person sees in help and completion. */
export function visibleCommands(): CliCommand[] {
  return CLI_COMMANDS.filter((c) => !c.hidden);
}
