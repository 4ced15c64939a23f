// The JSON Schema of agents.json for editors, generated from the zod schema (the single source).
import { z } from 'zod';
import { AgentsFileSchema } from './agent.js';

/** The JSON Schema document for agents.json, as pretty-printed JSON text. */
export function agentsJsonSchemaText(): string {
  const schema = z.toJSONSchema(AgentsFileSchema, { io: 'input', target: 'draft-2020-12' });
  const doc = { ...schema, $id: 'https://agenttray.dev/schema/agents.schema.json', title: 'Agent Tray agents.json' };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
