// The sandbox's rule on variables, for what env files and the secret store bring in at a start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentDefinitionSchema } from '../../../shared/agent.js';
import { checkStartEnv } from '../../../electron/app/env-sandbox.js';
import { AgentTrayError } from '../../../electron/core/errors.js';

const def = AgentDefinitionSchema.parse({ name: 'web', command: 'node' });
const settings = '/home/me/.config/Agent Tray/settings.json';

test('an env file that sets a code-loading variable is refused, naming the file, the variable and where to allow it', () => {
  const vars = [
    { key: 'PORT', value: '8080', source: 'envFile' as const, file: '/srv/web/.env' },
    { key: 'LD_PRELOAD', value: '/tmp/x.so', source: 'envFile' as const, file: '/srv/web/.env' },
  ];
  assert.throws(
    () => checkStartEnv(def, vars, { allowedEnv: [] }, settings, 'linux'),
    (e: AgentTrayError) => e.code === 'sandbox-refused' && /the env file \/srv\/web\/\.env sets LD_PRELOAD/.test(e.message) && e.details.file === '/srv/web/.env' && e.message.includes(settings),
  );
  assert.doesNotThrow(() => checkStartEnv(def, vars, { allowedEnv: ['LD_PRELOAD'] }, settings, 'linux'), 'allowed by name in settings.json');
});

test('a secret is held to the same rule; the definition\'s own env is not checked again here (it was at its save)', () => {
  assert.throws(() => checkStartEnv(def, [{ key: 'node_options', value: '--require x', source: 'secret' }], { allowedEnv: [] }, settings, 'win32'), /the secret store sets node_options/);
  assert.doesNotThrow(() => checkStartEnv(def, [{ key: 'node_options', value: '--require x', source: 'secret' }], { allowedEnv: [] }, settings, 'linux'), 'names are case-sensitive off Windows');
  assert.doesNotThrow(() => checkStartEnv(def, [{ key: 'NODE_OPTIONS', value: '--max-old-space-size=4096', source: 'definition' }], { allowedEnv: [] }, settings, 'linux'));
});
