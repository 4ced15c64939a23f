// Procfiles (foreman, honcho, overmind): one `name: command` a line, `#` comments, and the `.env`
// beside the file for every process. A command line that uses the shell runs through it (`sh -c`,
// as foreman runs every line); a plain one is split into its words like sh would and runs directly.
// Like foreman, each process gets PORT (5000, 5100, …); one whose line uses $PORT also gets it as
// its port.
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import { PROCFILE_LINE } from './detect.js';
import { envFileField, locateEnvFiles } from './env-files.js';
import { commandOfLine } from './shell-words.js';
import type { ParseContext, ParsedAgent, ParsedFile } from './types.js';

/** foreman's, honcho's and overmind's first PORT, and the step between process types. */
const BASE_PORT = 5000;
const PORT_STEP = 100;

/** The agents of a Procfile's text. */
export function parseProcfile(content: string, ctx: ParseContext): ParsedFile {
  const notes: string[] = [];
  const dotenv = locateEnvFiles(['.env'], ctx);
  if (dotenv.envFile.length) notes.push(`Each agent reads ${dotenv.envFile[0]} at every start (envFile), as foreman reads .env`);
  else if (dotenv.copied.length) notes.push(`The ${Object.keys(dotenv.env).length} variables of .env were copied into each agent's env (the file's folder was not given, so it cannot be read at each start); mark secrets as secret in the editor`);

  const agents: ParsedAgent[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const m = PROCFILE_LINE.exec(line);
    if (!m || (m[2] ?? '').trim() === '') {
      notes.push(`Line ${index + 1} was skipped: "${line.trim()}" is not "name: command"`);
      return;
    }
    const definition = procfileDefinition(m[1] as string, (m[2] as string).trim(), agents.length, ctx);
    definition.env = { ...dotenv.env, ...definition.env };
    const envFile = envFileField(dotenv.envFile);
    if (envFile) definition.envFile = envFile;
    agents.push({ source: m[1] as string, definition, notCarried: procfileNotCarried(definition, ctx) });
  });
  if (agents.length === 0) notes.push('The Procfile has no "name: command" lines');
  notes.push('foreman stops every process when one exits; Agent Tray supervises each agent on its own and restarts one that fails (restart policy on-failure)');
  // the .env is optional for foreman: only a client that could not look for it hears that it was not sent
  return { format: 'procfile', agents, notes, missingFiles: ctx.dir ? [] : dotenv.missing };
}

/** One Procfile line as a definition; `index` is its place among the processes (for PORT). */
function procfileDefinition(name: string, line: string, index: number, ctx: ParseContext): AgentDefinitionInput {
  const { command, args } = commandOfLine(line, ctx.platform);
  const port = BASE_PORT + PORT_STEP * index;
  const definition: AgentDefinitionInput = { name, command, args, env: { PORT: String(port) } };
  if (/\$\{?PORT\b/.test(line)) definition.port = port;
  if (ctx.dir) definition.cwd = ctx.dir;
  return definition;
}

/** What a Procfile line's agent lacks: a cwd when the folder is unknown; on Windows, a sh line run by cmd.exe. */
function procfileNotCarried(definition: AgentDefinitionInput, ctx: ParseContext): ParsedAgent['notCarried'] {
  const out: ParsedAgent['notCarried'] = [];
  if (!ctx.dir) out.push({ field: 'cwd', reason: 'foreman runs each line in the Procfile\'s folder, which was not given; the agent runs in the data directory until you set its cwd' });
  if (definition.command === 'cmd.exe') {
    out.push({ field: 'command', reason: 'the line uses shell syntax written for sh; it runs through cmd.exe here, which reads $VARIABLES, quotes and operators differently: check it' });
  }
  return out;
}
