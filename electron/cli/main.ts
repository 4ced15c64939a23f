// The `agent-tray` command line: dispatches to one command and turns errors into readable lines.
import { AgentTrayError } from '../core/errors.js';
import { checkCommand } from './check.js';
import { pathsCommand } from './paths-command.js';
import { runCommand } from './run.js';
import { controlCommand } from './control.js';
import { ensureCommand } from './ensure.js';
import { graphCommand } from './graph.js';
import { logsCommand } from './logs.js';
import { statusCommand } from './status.js';

export const USAGE = `Usage: agent-tray <command> [options]

Commands:
  run [NAME...]   start the named agents (default: all) in the foreground and stream their
                  output; Ctrl-C stops them, with every process they started
  check           validate agents.json and show what each agent would run
  paths           show the data directory, the agents file, logs and PID files
  serve           the headless host: REST API, event stream and UI on http://127.0.0.1:4821
                  [--host H] [--port N (0: any free)] [--stop-agents-on-exit]
  help            show this help

Commands that talk to the running host (\`agent-tray serve\` or the app) of the data directory:
  status [--json]          every agent: name, state ("waiting for model (healthy)"), pid, uptime,
                           port (and why it failed)
  start NAME               start an agent (after its dependencies); answers once it runs (exit
                           code 1 if it failed)
  start --group GROUP      start every agent of a group; a line each
  stop NAME [--with-dependents]
                           stop an agent and every process it started (with --with-dependents:
                           the agents that depend on it first)
  stop --group GROUP       stop every agent of a group, dependents before their dependencies
  restart NAME             stop, then start
  kill NAME                end an agent's whole process tree at once
  ensure NAME [--timeout 60s]
                           start it unless it runs; exit code 0 once it runs and is ready (its
                           readyLine matched, else its health probe passes), 1 with the reason
  graph [--json]           the dependency tree: each agent's dependencies, their conditions, and
                           whether each holds now
  logs NAME [-n 100] [--stream stdout|stderr|all] [--follow]
                           its last lines (stderr marked "! "); --follow streams new ones until Ctrl-C

Exit codes: 0 ok, 1 the action failed (or no host runs), 2 usage error

Options:
  --data-dir DIR  the data directory (default: AGENT_TRAY_DATA_DIR, else the platform's)
  --config FILE   the agents file (default: agents.json in the data directory)`;

/** Runs one command; resolves with the process exit code. */
export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, out, err);
      case 'check':
        return await checkCommand(rest, out);
      case 'paths':
        return pathsCommand(rest, out);
      case 'serve': // loaded on demand: the HTTP stack is not needed by the other commands
        return await (await import('../server/serve.js')).serveCommand(rest, out, err);
      case 'status':
        return await statusCommand(rest, out, err);
      case 'start':
      case 'stop':
      case 'restart':
      case 'kill':
        return await controlCommand(command, rest, out, err);
      case 'ensure':
        return await ensureCommand(rest, out, err);
      case 'graph':
        return await graphCommand(rest, out, err);
      case 'logs':
        return await logsCommand(rest, out, err);
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
