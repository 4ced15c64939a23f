// The command sandbox's rules, for each platform: allowed commands, restricted paths, injecting variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { AgentDefinitionSchema, type AgentDefinitionInput } from '../../../shared/agent.js';
import { checkSandbox, commandAllowed, defaultRestrictedPaths, injectingVariables, isInside, type SandboxContext } from '../../../electron/app/sandbox.js';
import { AgentTrayError } from '../../../electron/core/errors.js';
import { tempDir } from '../../helpers/temp-dir.js';

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
  assert.match(err.message, /cwd \/etc\/cron\.d is inside \/etc, a restricted directory \(sandbox rule sandbox\.restrictedPaths\)/);
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

test('health.command is checked against allowedCommands like command and stop.command', () => {
  const sandbox = { allowedCommands: ['python3', 'curl'], allowedEnv: [] };
  checkSandbox(def({ health: { command: ['curl', '-f', 'http://127.0.0.1:8080/health'] } }), sandbox, linux);
  const err = refusal(() => checkSandbox(def({ health: { command: ['sh', '-c', 'touch /tmp/pwned'] } }), sandbox, linux));
  assert.match(err.message, /health\.command "sh" is not one of the allowed commands \(python3, curl\) \(sandbox rule sandbox\.allowedCommands\)/);
  assert.match(err.message, /settings\.json/);
  assert.equal(err.details.field, 'health.command');
});

test('isInside: a name that merely begins with ".." is inside, a parent reference is not', () => {
  assert.ok(isInside('/etc/..data', '/etc', 'linux'));
  assert.ok(isInside('/etc/..data/x', '/etc', 'linux'));
  assert.ok(isInside('/etc/...', '/etc', 'linux'));
  assert.ok(!isInside('/etc/../tmp', '/etc', 'linux'));
  assert.ok(!isInside('/', '/etc', 'linux'));
  assert.ok(isInside('C:\\Windows\\..data', 'C:\\Windows', 'win32'));
  assert.ok(!isInside('D:\\Windows', 'C:\\Windows', 'win32'), 'another drive');
  refusal(() => checkSandbox(def({ cwd: '/etc/..data' }), { allowedEnv: [] }, linux));
});

test('cwd: symlinks are resolved before the restricted paths are checked, also for a cwd that does not exist yet', { skip: process.platform === 'win32' && 'symlinks need a privilege on Windows' }, async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const here: SandboxContext = { platform: process.platform, dataDir: dir, env: process.env, settingsFile: path.join(dir, 'settings.json') };
  const secret = path.join(dir, 'secret');
  mkdirSync(path.join(secret, 'inner'), { recursive: true });
  mkdirSync(path.join(dir, 'work'));
  symlinkSync('/etc', path.join(dir, 'x'));
  symlinkSync(secret, path.join(dir, 'alias'));
  symlinkSync(secret, path.join(dir, 'restricted-link'));

  // a link into a default restricted path (/etc on Linux, /private/etc on macOS)
  const err = refusal(() => checkSandbox(def({ cwd: path.join(dir, 'x') }), { allowedEnv: [] }, here));
  assert.match(err.message, /cwd .*\/x resolves to .*etc, inside .*etc, a restricted directory \(sandbox rule sandbox\.restrictedPaths\)/);
  assert.equal(err.details.field, 'cwd');
  refusal(() => checkSandbox(def({ cwd: path.join(dir, 'x', 'not-yet', 'deeper') }), { allowedEnv: [] }, here));
  refusal(() => checkSandbox(def({ cwd: 'x' }), { allowedEnv: [] }, here)); // a relative cwd through the link

  // a link to a restricted directory, and a restricted path that is itself a link
  refusal(() => checkSandbox(def({ cwd: path.join(dir, 'alias', 'inner') }), { restrictedPaths: [secret], allowedEnv: [] }, here));
  refusal(() => checkSandbox(def({ cwd: path.join(realpathSync(secret), 'new') }), { restrictedPaths: [path.join(dir, 'restricted-link')], allowedEnv: [] }, here));

  // real directories outside stay allowed, existing or not
  checkSandbox(def({ cwd: path.join(dir, 'work') }), { restrictedPaths: [secret], allowedEnv: [] }, here);
  checkSandbox(def({ cwd: path.join(dir, 'work', 'later') }), { restrictedPaths: [secret], allowedEnv: [] }, here);
});

test('the code-loading variables: every LD_* and DYLD_*, and the interpreters\' module paths and option variables', () => {
  const refused = [
    'PYTHONPATH', 'PYTHONHOME', 'PYTHONUSERBASE', 'PYTHONWARNINGS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH', 'GCONV_PATH',
    'NODE_PATH', 'NODE_REPL_EXTERNAL_MODULE', 'PERL5LIB', 'PERLLIB', 'RUBYLIB', 'LD_DEBUG_OUTPUT', 'LD_PROFILE', 'LD_ANYTHING',
    'DYLD_FRAMEWORK_PATH', 'DYLD_FALLBACK_LIBRARY_PATH', 'BASH_FUNC_ls%%', 'OPENSSL_CONF', 'DOTNET_STARTUP_HOOKS', 'GIT_SSH_COMMAND', 'GIT_CONFIG_COUNT',
  ];
  const env = Object.fromEntries([...refused, 'PATH', 'HOME', 'NODE_ENV', 'ENV', 'LDFLAGS', 'PYTHONUNBUFFERED', 'OLLAMA_HOST'].map((k) => [k, 'x']));
  assert.deepEqual(injectingVariables(env, [], 'linux').sort(), [...refused].sort());
  assert.deepEqual(injectingVariables({ pythonPath: 'x', Ld_Preload: 'y', dyld_insert_libraries: 'z' }, [], 'win32').sort(), ['Ld_Preload', 'dyld_insert_libraries', 'pythonPath']);
  assert.deepEqual(injectingVariables({ pythonPath: 'x' }, [], 'linux'), []);
  assert.deepEqual(injectingVariables({ pythonpath: 'x' }, ['PYTHONPATH'], 'win32'), [], 'allowedEnv matches case-insensitively on Windows');
  const err = refusal(() => checkSandbox(def({ env: { PYTHONPATH: '/tmp/evil' } }), { allowedEnv: [] }, linux));
  assert.match(err.message, /env sets PYTHONPATH/);
  assert.equal(err.details.field, 'env.PYTHONPATH');
});

test('Windows: two env names that differ only in case are refused, naming both; elsewhere they are two variables', () => {
  assert.throws(
    () => checkSandbox(def({ env: { Path: 'C:\\a', PATH: 'C:\\b' } }), { allowedEnv: [] }, win),
    (err: unknown) => err instanceof AgentTrayError && err.code === 'bad-request' && /env\.Path and env\.PATH name the same variable on Windows/.test(err.message),
  );
  checkSandbox(def({ env: { http_proxy: 'x', HTTP_PROXY: 'x' } }), { allowedEnv: [] }, linux);
});
