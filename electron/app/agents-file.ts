// agents.json: the agents a person defined, read and written through the shared JSON file rules.
import { AgentsFileSchema, type AgentsFile } from '../../shared/agent.js';
import { loadJsonFile, parseJsonText, saveJsonFile } from './json-file.js';

export { lineColumn } from './json-file.js';

const DESCRIBE = 'agents.schema.json describes every field';

/** Parses the text of an agents file; throws an AgentTrayError naming `file`, the place and the problem. */
export function parseAgentsFile(text: string, file: string): AgentsFile {
  return parseJsonText(text, file, AgentsFileSchema, DESCRIBE);
}

/** Loads agents.json; a missing file is an empty list. */
export function loadAgentsFile(file: string): Promise<AgentsFile> {
  return loadJsonFile(file, AgentsFileSchema, { agents: [] }, DESCRIBE);
}

/** Validates and writes agents.json atomically; the previous file becomes agents.json.bak. */
export function saveAgentsFile(file: string, content: AgentsFile, backup = `${file}.bak`): Promise<void> {
  return saveJsonFile(file, AgentsFileSchema, content, backup);
}
