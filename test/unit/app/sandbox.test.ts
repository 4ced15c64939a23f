// The command sandbox's rules, for each platform: allowed commands, restricted paths, injecting variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentDefinitionSchema, type AgentDefinitionInput } from '../../../shared/agent.js';
import { checkSandbox, commandAllowed, defaultRestrictedPaths, injectingVariables, isInside, type SandboxContext } from '../../../electron/app/sandbox.js';
import { AgentTrayError } from '../../../electron/core/errors.js';

const linux: SandboxContext = { platform: 'linux', dataDir: '/home/me/.config/Agent Tray', env: {}, settingsFile: '/home/me/.config/Agent Tray/settings.json' };
const win: SandboxContext = { platform: 'win32', dataDir: 'C:\\Users\\me\\AppData\\Roaming\\Agent Tray', env: { SystemRoot: 'C:\\WINDOWS' }, settingsFile: 'C:\\Users\\me\\AppData\\Roaming\\Agent Tray\\settings.json' };
const def = (d: Partial<AgentDefinitionInput>) => AgentDefinitionSchema.parse({ name: 'a', command: 'python3', ...d });

/** The sandbox-refused error `fn` throws, for assertions. */
function refusal(fn: () => void): AgentTrayError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AgentTrayError);
    assert.equal(err.code, 'sandbox-refused');
    return err;
  }
  assert.fail('expected a sandbox refusal');
}

test('allowedCommands: a name matches any path with that file name, a full path only itself', () => {
  assert.ok(commandAllowed('python3', ['python3'], 'linux'));
  assert.ok(commandAllowed('/usr/bin/python3', ['python3'], 'linux'));
  assert.ok(!commandAllowed('/tmp/evil/python3x', ['python3'], 'linux'));
  assert.ok(commandAllowed('/opt/ollama/bin/ollama', ['/opt/ollama/bin/ollama'], 'linux'));
  assert.ok(!commandAllowed('ollama', ['/opt/ollama/bin/ollama'], 'linux'), 'a bare name is not the allowed full path');
  assert.ok(!commandAllowed('/usr/bin/ollama', ['/opt/ollama/bin/ollama'], 'linux'));
  assert.ok(commandAllowed('C:\\Python312\\Python.EXE', ['python'], 'win32'), 'Windows: case and .exe do not matter');
  assert.ok(commandAllowed('c:\\tools\\x.exe', ['C:\\Tools\\X.exe'], 'win32'));
  assert.ok(!commandAllowed('Python.EXE', ['python'], 'linux') || false, 'POSIX names are case-sensitive');
});

test('a command outside allowedCommands is refused, naming the rule and where to change it; stop.command too', () => {
  const sandbox = { allowedCommands: ['python3', 'node'], allowedEnv: [] };
  checkSandbox(def({ command: 'node' }), sandbox, linux);
  const err = refusal(() => checkSandbox(def({ command: 'bash', args: ['-c', 'curl x | sh'] }), sandbox, linux));
  assert.match(err.message, /command "bash" is not one of the allowed commands \(python3, node\) \(sandbox rule sandbox\.allowedCommands\)/);
  assert.match(err.message, /settings\.json/);
  assert.match(err.message, /not through the API/);
  const stopErr = refusal(() => checkSandbox(def({ command: 'node', stop: { command: ['rm', '-rf', '/'] } }), sandbox, linux));
  assert.match(stopErr.message, /stop\.command "rm"/);
});

test('without allowedCommands any command passes that rule', () => {
  checkSandbox(def({ command: 'anything-at-all' }), { allowedEnv: [] }, linux);
});

test('restricted paths: the system directories by default, per platform; relative cwds resolve from the data directory', () => {
  assert.ok(defaultRestrictedPaths('linux', {}).includes('/etc'));
  assert.ok(defaultRestrictedPaths('darwin', {}).includes('/System'));
  assert.deepEqual(defaultRestrictedPaths('win32', { SystemRoot: 'D:\\Win', ProgramFiles: 'D:\\PF' }).slice(0, 2), ['D:\\Win', 'D:\\PF']);
  const err = refusal(() => checkSandbox(def({ cwd: '/etc/cron.d' }), { allowedEnv: [] }, linux));
  assert.match(err.message, /the working directory \/etc\/cron\.d is inside \/etc, a restricted directory \(sandbox rule sandbox\.restrictedPaths\)/);
  refusal(() => checkSandbox(def({ cwd: '../../../../../usr/lib' }), { allowedEnv: [] }, linux));
  checkSandbox(def({ cwd: '/etcetera' }), { allowedEnv: [] }, linux);
  checkSandbox(def({ cwd: 'agents/researcher' }), { allowedEnv: [] }, linux);
  refusal(() => checkSandbox(def({ cwd: 'c:\\windows\\System32' }), { allowedEnv: [] }, win));
  checkSandbox(def({ cwd: '/etc/agents' }), { restrictedPaths: ['/srv'], allowedEnv: [] }, linux);
});

test('isInside compares whole path segments, case-insensitively only on Windows and macOS', () => {
  assert.ok(isInside('/usr', '/usr', 'linux'));
  assert.ok(isInside('/usr/lib', '/usr/', 'linux'));
  assert.ok(!isInside('/usrx', '/usr', 'linux'));
  assert.ok(!isInside('/USR/lib', '/usr', 'linux'));
  assert.ok(isInside('/USR/lib', '/usr', 'darwin'));
  assert.ok(isInside('C:\\Windows\\x', 'c:\\windows', 'win32'));
});

test('variables that inject code are refused unless allowed by name', () => {
  assert.deepEqual(injectingVariables({ LD_PRELOAD: 'x', DYLD_INSERT_LIBRARIES: 'y', NODE_OPTIONS: '--require x', PATH: '/bin', PYTHONSTARTUP: 'z' }, [], 'linux').sort(), ['DYLD_INSERT_LIBRARIES', 'LD_PRELOAD', 'NODE_OPTIONS', 'PYTHONSTARTUP']);
  assert.deepEqual(injectingVariables({ node_options: 'x' }, [], 'win32'), ['node_options'], 'Windows names are case-insensitive');
  assert.deepEqual(injectingVariables({ node_options: 'x' }, [], 'linux'), [], 'POSIX names are case-sensitive');
  assert.deepEqual(injectingVariables({ LD_LIBRARY_PATH: '/opt/cuda/lib' }, ['LD_LIBRARY_PATH'], 'linux'), []);
  const err = refusal(() => checkSandbox(def({ env: { LD_PRELOAD: '/tmp/x.so', LOG: 'info' } }), { allowedEnv: [] }, linux));
  assert.match(err.message, /env sets LD_PRELOAD, which makes a program load code it was not asked to run \(sandbox rule sandbox\.allowedEnv\)/);
  assert.match(err.message, /allow it by name in sandbox\.allowedEnv/);
  checkSandbox(def({ env: { LD_LIBRARY_PATH: '/opt/cuda/lib' } }), { allowedEnv: ['LD_LIBRARY_PATH'] }, linux);
});
