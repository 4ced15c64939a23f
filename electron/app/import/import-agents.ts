// The importAgents command: a file of another process manager becomes agents. Every agent goes
// through the schema and the sandbox like any definition; names already taken are reported and
// skipped, never overwritten. Without dryRun, every agent that can be created is saved in one write
// of agents.json (atomic, as every save), then each is announced with an agent-added event.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AgentDefinition, AgentsFile } from '../../../shared/agent.js';
import type { CommandArgs } from '../../../shared/commands.js';
import type { ImportResult } from '../../../shared/import.js';
import { AgentTrayError } from '../../core/errors.js';
import type { AgentTrayApp } from '../application.js';
import { agentsFileText } from '../agents-file.js';
import { checkSandbox } from '../sandbox.js';
import { refuseStackProblems } from '../stack-check.js';
import { parseImportFile } from './parse.js';
import { planImport, type Plan } from './plan.js';

export type ImportArgs = CommandArgs<'importAgents'>;

/** Refuses a `dir` that is not an absolute path on the host's platform. */
function checkDir(dir: string | undefined, platform: NodeJS.Platform): void {
  if (dir === undefined || (platform === 'win32' ? path.win32 : path.posix).isAbsolute(dir)) return;
  throw new AgentTrayError('bad-request', `dir "${dir}" is not an absolute path`, { hint: 'Send the full path of the folder the file is in, or leave dir out', details: { dir } });
}

/** Runs an import: reads the file, plans each agent, and (unless dryRun) saves those to create. */
export async function importAgents(app: AgentTrayApp, args: ImportArgs): Promise<ImportResult> {
  checkDir(args.dir, app.platform);
  const parsed = await parseImportFile(args.content, {
    fileName: args.fileName,
    dir: args.dir ?? null,
    platform: app.platform,
    files: args.files ?? {},
    fileExists: (file) => existsSync(file),
    allowCode: args.allowCode,
  });
  const sandboxContext = { platform: app.platform, dataDir: app.engine.paths.root, env: app.env, settingsFile: app.settingsFile };
  const plan = (existing: readonly AgentDefinition[]): Plan =>
    planImport(parsed.agents, { prefix: args.prefix, existing, sandbox: (def) => checkSandbox(def, app.settings.sandbox, sandboxContext) });

  let result = plan(app.store.list());
  const answer = (p: Plan, created: string[]): ImportResult => ({ format: parsed.format, agents: p.agents, notes: parsed.notes, missingFiles: parsed.missingFiles, created });
  if (args.dryRun || result.create.length === 0) return answer(result, []);

  // planned again against agents.json as it is at the moment of the write (a hand edit may have added a name)
  await app.store.config.write((current) => {
    result = plan(current.agents);
    const next: AgentsFile = { ...current, agents: [...current.agents, ...result.create] };
    refuseStackProblems(next.agents);
    return { text: agentsFileText(app.store.file, next), value: next };
  });
  app.engine.setDefinitions(app.store.list());
  for (const def of result.create) app.publish({ type: 'agent-added', name: def.name, status: app.engine.status(def.name) });
  return answer(result, result.create.map((d) => d.name));
}
