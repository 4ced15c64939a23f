// `agent-tray check`: validates the agents file and shows what would run, without starting anything.
import { loadAgentsFile } from '../app/agents-file.js';
import { commandLine } from '../core/pid-file.js';
import { parseCommon } from './options.js';

/** Prints each agent's command line; exit code 0, or 2 when the file is invalid. */
export async function checkCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { agentsFile } = parseCommon(argv);
  const file = await loadAgentsFile(agentsFile);
  out(`${agentsFile}: ${file.agents.length} agent${file.agents.length === 1 ? '' : 's'}, valid`);
  for (const a of file.agents) out(`  ${a.name}: ${commandLine(a.command, a.args)}${a.cwd ? ` (in ${a.cwd})` : ''}${a.port ? ` port ${a.port}` : ''}`);
  return 0;
}
