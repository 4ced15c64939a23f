// Stacks are checked as a whole before they are kept: a save through the API or the window is
// refused with a 400 (invalid-definition) naming the cycle or the unknown name, and an agents.json
// written by hand with such a problem does not load (an error naming the file, the agent and the
// line), so the configuration in force stays.
import type { AgentDefinition } from '../../shared/agent.js';
import { AgentTrayError } from '../core/errors.js';
import { stackIssues } from '../core/stack/graph.js';
import { JsonLocator, lineColumn } from './json-locate.js';
import { withoutBom } from './json-file.js';

/** Refuses a set of definitions whose stack has a problem (400 invalid-definition, every problem named). */
export function refuseStackProblems(agents: readonly AgentDefinition[]): void {
  const problems = stackIssues(agents).map((i) => i.message);
  if (problems.length === 0) return;
  throw new AgentTrayError('invalid-definition', `Not saved: ${problems.join('; ')}`, {
    hint: 'agents.json was left as it was',
    details: { issues: problems },
  });
}

/** Throws invalid-config naming `file`, each agent, its dependsOn entry's line and the problem, when the stack in the file has one. */
export function checkStackOfFile(agents: readonly AgentDefinition[], text: string, file: string): void {
  const issues = stackIssues(agents);
  if (issues.length === 0) return;
  const body = withoutBom(text);
  const locator = new JsonLocator(body);
  const index = new Map(agents.map((a, i) => [a.name, i]));
  const places = issues.map((issue) => lineColumn(body, locator.offsetOf(['agents', index.get(issue.agent) ?? 0, 'dependsOn'], issue.dependency) ?? 0));
  const problems = issues.map((issue, i) => `agent ${JSON.stringify(issue.agent)} (agents[${index.get(issue.agent)}]).dependsOn: ${issue.message} (line ${places[i]?.line}, column ${places[i]?.column})`);
  throw new AgentTrayError('invalid-config', `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.join('; ')}`, {
    hint: 'Fix it in an editor; Agent Tray left the file as it is (README, "Stacks", describes dependsOn)',
    details: { file, issues: problems, line: places[0]?.line ?? null, column: places[0]?.column ?? null },
  });
}
