// Stacks as clients see them: the dependency graph (GET /api/graph) and the groups (GET /api/groups).
import { z } from 'zod';
import { DependencyConditionSchema } from './agent.js';
import { AgentStateSchema, HealthStateSchema } from './status.js';

export const StackNodeSchema = z.object({
  name: z.string(),
  state: AgentStateSchema,
  groups: z.array(z.string()),
  /** Its `ready` condition holds now (readyLine matched; else healthy with a probe; else running). */
  ready: z.boolean(),
  health: HealthStateSchema,
});
export type StackNode = z.infer<typeof StackNodeSchema>;

export const StackEdgeSchema = z.object({
  /** The dependent. */
  from: z.string(),
  /** The dependency. */
  to: z.string(),
  condition: DependencyConditionSchema,
  /** The condition holds now (for a waiting dependent: the engine's own view of it). */
  met: z.boolean(),
});
export type StackEdge = z.infer<typeof StackEdgeSchema>;

export const StackGraphSchema = z.object({ nodes: z.array(StackNodeSchema), edges: z.array(StackEdgeSchema) });
export type StackGraph = z.infer<typeof StackGraphSchema>;

export const GroupSummarySchema = z.object({
  name: z.string(),
  /** Its agents, in agents.json order. */
  agents: z.array(z.string()),
  /** How many of them are running. */
  running: z.number().int(),
  total: z.number().int(),
});
export type GroupSummary = z.infer<typeof GroupSummarySchema>;
