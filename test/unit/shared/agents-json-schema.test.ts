// The committed JSON Schema for editors is the one the zod schema generates today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { agentsJsonSchemaText } from '../../../shared/agents-json-schema.js';

test('shared/agents.schema.json is up to date (run `npm run schema` after changing shared/agent.ts)', () => {
  const committed = readFileSync(new URL('../../../shared/agents.schema.json', import.meta.url), 'utf8');
  assert.equal(committed, agentsJsonSchemaText());
});

test('the JSON Schema requires name and command and forbids unknown fields', () => {
  const schema = JSON.parse(agentsJsonSchemaText()) as {
    properties: { agents: { items: { required: string[]; additionalProperties: boolean; properties: Record<string, { pattern?: string }> } } };
  };
  const item = schema.properties.agents.items;
  assert.deepEqual([...item.required].sort(), ['command', 'name']);
  assert.equal(item.additionalProperties, false);
  assert.ok(new RegExp(item.properties.name!.pattern!).test('researcher'));
  assert.ok(!new RegExp(item.properties.name!.pattern!).test('../x'));
});
