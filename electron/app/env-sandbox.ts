// The sandbox's rule on variables, applied where a definition's own check cannot reach: the
// variables an agent gets from its env files and the secret store, checked at each start (the
// files can change after the definition was saved) and when a secret is set.
import type { AgentDefinition } from '../../shared/agent.js';
import type { SandboxSettings } from '../../shared/settings.js';
import type { OwnVariable } from '../core/agent-env.js';
import { AgentTrayError } from '../core/errors.js';
import { injectingVariables } from './sandbox.js';

/** Where a variable came from, in words. */
function origin(v: Pick<OwnVariable, 'source' | 'file'>): string {
  return v.source === 'envFile' ? `the env file ${v.file ?? ''}`.trimEnd() : v.source === 'secret' ? 'the secret store' : 'env';
}

/** Throws `sandbox-refused` when an env file or a secret sets a variable that makes a program load code (unless allowed by name). */
export function checkStartEnv(def: AgentDefinition, variables: readonly OwnVariable[], sandbox: SandboxSettings, settingsFile: string, platform: NodeJS.Platform): void {
  const outside = variables.filter((v) => v.source !== 'definition'); // env itself was checked when it was saved
  const bad = new Set(injectingVariables(Object.fromEntries(outside.map((v) => [v.key, v.value])), sandbox.allowedEnv, platform));
  const first = outside.find((v) => bad.has(v.key));
  if (!first) return;
  const names = [...bad];
  const one = names.length === 1;
  throw new AgentTrayError('sandbox-refused', `Agent "${def.name}": ${origin(first)} sets ${names.join(', ')}, which make${one ? 's' : ''} a program load code it was not asked to run (sandbox rule sandbox.allowedEnv)`, {
    hint: `Remove ${one ? 'it' : 'them'} from ${origin(first)}, or allow ${one ? 'it' : 'them'} by name in sandbox.allowedEnv: edit ${settingsFile} (the sandbox can only be changed there, not through the API)`,
    details: { name: def.name, field: first.source === 'envFile' ? 'envFile' : 'secretEnv', rule: 'sandbox.allowedEnv', key: first.key, ...(first.file ? { file: first.file } : {}) },
  });
}
