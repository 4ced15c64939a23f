// agents.json: the agents a person defined, read and written through the shared JSON file rules.
// Every problem names the agent by its name as well as its place: `agent "web" (agents[2]).port`.
import { AgentsFileSchema, type AgentsFile } from '../../shared/agent.js';
import { issuePath } from '../../shared/issues.js';
import { jsonText, parseJsonText, readTextFile, validateForSave, writeWithBackup } from './json-file.js';
import { checkStackOfFile } from './stack-check.js';

export { lineColumn } from './json-file.js';

const DESCRIBE = 'agents.schema.json describes every field';

/** `agent "web" (agents[2]).port` for a path inside an agent that has a name; the plain path otherwise. */
export function agentIssueLabel(path: readonly PropertyKey[], json: unknown): string {
  const [top, index] = path;
  if (top !== 'agents' || typeof index !== 'number') return issuePath(path);
  const agents = (json as { agents?: unknown } | null)?.agents;
  const name = Array.isArray(agents) ? (agents[index] as { name?: unknown } | null)?.name : undefined;
  if (typeof name !== 'string' || name === '') return issuePath(path);
  const rest = issuePath(['x', ...path.slice(2)]).slice(1); // ".port", "[0]" or ""
  return `agent ${JSON.stringify(name)} (agents[${index}])${rest}`;
}

/** Parses the text of an agents file (each agent, then the stack: unknown names in dependsOn, cycles); throws an AgentTrayError naming `file`, the place and the problem. */
export function parseAgentsFile(text: string, file: string): AgentsFile {
  const parsed = parseJsonText(text, file, AgentsFileSchema, DESCRIBE, agentIssueLabel);
  checkStackOfFile(parsed.agents, text, file);
  return parsed;
}

/** Loads agents.json; a missing file is an empty list. */
export async function loadAgentsFile(file: string): Promise<AgentsFile> {
  const text = await readTextFile(file);
  return text === null ? { agents: [] } : parseAgentsFile(text, file);
}

/** The text agents.json gets for `content`, validated first (invalid content is refused, nothing is written). */
export function agentsFileText(file: string, content: AgentsFile): string {
  return jsonText(validateForSave(file, AgentsFileSchema, content));
}

/** Validates and writes agents.json atomically (0600); the file as it was becomes agents.json.bak. */
export async function saveAgentsFile(file: string, content: AgentsFile, backup = `${file}.bak`): Promise<void> {
  const text = agentsFileText(file, content);
  await writeWithBackup(file, text, await readTextFile(file), backup);
}
