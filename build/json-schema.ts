// Writes shared/agents.schema.json from the zod schema. Run by `npm run schema`; a unit test
// fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { agentsJsonSchemaText } from '../shared/agents-json-schema.js';

const target = new URL('../shared/agents.schema.json', import.meta.url);
writeFileSync(target, agentsJsonSchemaText());
console.log(`wrote ${target.pathname}`);
