// electron-builder.yml checked without building anything: it is valid against electron-builder's
// own JSON schema (and a misspelled key is caught), it asks for the installers the issue lists,
// the icons it names exist, and package.json has what the packager reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { PNG } from 'pngjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));

type Json = Record<string, unknown>;

/** electron-builder.yml, parsed. */
function config(): Json {
  return load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Json;
}

/** A nested object of the config (e.g. 'nsis'), failing the test if it is not one. */
function section(cfg: Json, key: string): Json {
  const value = cfg[key];
  assert.ok(value && typeof value === 'object' && !Array.isArray(value), `${key} must be a mapping`);
  return value as Json;
}

let compiled: ValidateFunction | undefined;

/**
 * The validator electron-builder runs on its configuration, compiled from the scheme.json that
 * ships with the installed app-builder-lib. The scheme is draft-07 with two quirks: union types
 * (`"type": ["string", "null"]`), which ajv's strict mode refuses unless allowed, and a custom
 * `typeof` keyword (from ajv-keywords) for options that may be JavaScript functions. Strict mode
 * stays on otherwise, and `typeof` is defined here with its meaning rather than ignored.
 */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schemePath = path.join(root, 'node_modules', 'app-builder-lib', 'scheme.json');
  const scheme = JSON.parse(readFileSync(schemePath, 'utf8')) as Json;
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  ajv.addKeyword({
    keyword: 'typeof',
    schemaType: 'string',
    validate: (type: string, data: unknown) => typeof data === type,
    errors: false,
  });
  compiled = ajv.compile(scheme);
  return compiled;
}

/** The validation errors of a config as "path: message" lines (empty when it is valid). */
function errorsOf(cfg: Json): string[] {
  const validate = validator();
  if (validate(cfg)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
}

/** The target names of a platform section (`target: [nsis]` or `target: [{ target: nsis }]`). */
function targetNames(platform: Json): string[] {
  const targets = Array.isArray(platform.target) ? platform.target : [platform.target];
  return targets.map((t: unknown) => (typeof t === 'string' ? t : String((t as Json).target)));
}

test('electron-builder.yml is valid against app-builder-lib/scheme.json', () => {
  assert.deepEqual(errorsOf(config()), []);
});

test('the schema check catches misspelled keys and wrong types', () => {
  const cases: [string, (cfg: Json) => void, RegExp][] = [
    ['top-level typo', (cfg) => { cfg.prodcutName = 'Agent Tray'; }, /additional properties.*prodcutName/],
    ['nested typo', (cfg) => { section(cfg, 'nsis').oneclick = false; }, /^\/nsis: .*additional properties.*oneclick/],
    ['wrong type', (cfg) => { section(cfg, 'nsis').perMachine = 'no'; }, /^\/nsis\/perMachine: must be boolean/],
    ['unknown target option', (cfg) => { section(cfg, 'linux').maintainerEmail = 'x'; }, /^\/linux: .*maintainerEmail/],
  ];
  for (const [name, spoil, expected] of cases) {
    const cfg = config();
    spoil(cfg);
    const errors = errorsOf(cfg);
    assert.ok(errors.some((e) => expected.test(e)), `${name}: expected ${expected}, got ${errors.join('\n') || 'no error'}`);
  }
});

test('identity, directories and what goes into the package', () => {
  const cfg = config();
  assert.equal(cfg.appId, 'dev.agenttray.app');
  assert.equal(cfg.productName, 'Agent Tray');
  assert.deepEqual(section(cfg, 'directories'), { output: 'release', buildResources: 'build' });
  assert.deepEqual(cfg.files, ['dist/**/*', '!dist/native/**', 'package.json']);
  // the Windows helper beside the archive, where win-helper.ts looks for it (resources/native/)
  assert.deepEqual((section(cfg, 'win') as { extraResources?: unknown }).extraResources, [{ from: 'dist/native', to: 'native', filter: ['agent-tray-helper.exe'] }]);
  assert.equal(cfg.asar, true);
  assert.ok((cfg.asarUnpack as string[]).includes('node_modules/ps-list/vendor/**'));
  assert.ok((cfg.asarUnpack as string[]).includes('dist/icons/**'), 'tray icons as real files');
});

test('native-module free: nothing is rebuilt or compiled, and no production dependency is native', () => {
  const cfg = config();
  assert.equal(cfg.npmRebuild, false);
  assert.equal(cfg.buildDependenciesFromSource, false);
  const native = nativeDependencies();
  assert.deepEqual(native, [], `native modules among the production dependencies: ${native.join(', ')}`);
});

test('fuses: no running as Node, no NODE_OPTIONS or inspector, the app only from its checked asar', () => {
  const fuses = section(config(), 'electronFuses');
  assert.equal(fuses.runAsNode, false);
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(fuses.enableNodeCliInspectArguments, false);
  assert.equal(fuses.onlyLoadAppFromAsar, true);
  assert.equal(fuses.enableEmbeddedAsarIntegrityValidation, true);
});

test('Windows: per-user NSIS installer with a start-menu entry, and a portable build', () => {
  const cfg = config();
  const win = section(cfg, 'win');
  assert.deepEqual(targetNames(win).sort(), ['nsis', 'portable']);
  const nsis = section(cfg, 'nsis');
  assert.equal(nsis.oneClick, false);
  assert.equal(nsis.perMachine, false);
  assert.notEqual(nsis.selectPerMachineByDefault, true);
  assert.equal(nsis.allowToChangeInstallationDirectory, true);
  assert.notEqual(nsis.createStartMenuShortcut, false);
  assert.ok(icoMaxSize(path.join(root, String(win.icon))) >= 256, 'win.icon must hold a 256 px image');
});

test('macOS: dmg, a menu-bar app without a Dock icon, icon of at least 512 px', () => {
  const mac = section(config(), 'mac');
  assert.deepEqual(targetNames(mac), ['dmg']);
  assert.equal(section(mac, 'extendInfo').LSUIElement, true);
  assert.ok(pngSize(path.join(root, String(mac.icon))) >= 512);
});

test('Linux: AppImage and deb, a maintainer without an invented address, a plain executable name', () => {
  const linux = section(config(), 'linux');
  assert.deepEqual(targetNames(linux).sort(), ['AppImage', 'deb']);
  assert.equal(linux.maintainer, 'Agent Tray contributors');
  assert.equal(linux.executableName, 'agent-tray');
  // set explicitly: otherwise electron-builder takes build/icons/ (the tray icons) as the icon set
  assert.ok(pngSize(path.join(root, String(linux.icon))) >= 256);
});

test('every artifact name is free of spaces and carries the version and the extension', () => {
  const cfg = config();
  const names = ['', 'win', 'nsis', 'portable', 'mac', 'dmg', 'linux', 'appImage', 'deb']
    .map((key) => (key === '' ? cfg : (cfg[key] as Json | undefined))?.artifactName)
    .filter((name): name is string => typeof name === 'string');
  assert.ok(names.length >= 6, `artifact names: ${names.join(', ')}`);
  for (const name of names) {
    assert.doesNotMatch(name, /\s/, name);
    assert.match(name, /\$\{version\}/, name);
    assert.match(name, /\.\$\{ext\}$/, name);
  }
});

test('package.json has what electron-builder reads', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Json;
  assert.equal(pkg.name, 'agent-tray');
  assert.match(String(pkg.version), /^\d+\.\d+\.\d+(-[\w.]+)?$/);
  assert.ok(typeof pkg.description === 'string' && pkg.description.length > 0, 'description');
  assert.equal(pkg.main, 'dist/electron/main/index.js');
  // one configuration, in electron-builder.yml
  assert.equal(pkg.build, undefined, 'package.json "build" would compete with electron-builder.yml');
  // electron-builder refuses to package when these are production dependencies
  const deps = (pkg.dependencies ?? {}) as Json;
  const devDeps = (pkg.devDependencies ?? {}) as Json;
  for (const name of ['electron', 'electron-builder']) {
    assert.equal(deps[name], undefined, `${name} must be a devDependency`);
    assert.ok(devDeps[name], `${name} missing from devDependencies`);
  }
  // without an author the deb takes linux.maintainer (asserted above), the Windows publisher is empty
  if (pkg.author === undefined) assert.ok(section(config(), 'linux').maintainer);
});

/** Width of a PNG, from its IHDR. */
function pngSize(file: string): number {
  const png = PNG.sync.read(readFileSync(file));
  assert.equal(png.width, png.height, `${file} is not square`);
  return png.width;
}

/** The largest image an .ico file's directory lists (a stored 0 means 256). */
function icoMaxSize(file: string): number {
  const buf = readFileSync(file);
  assert.equal(buf.readUInt16LE(2), 1, `${file} is not an icon file`);
  let max = 0;
  for (let i = 0; i < buf.readUInt16LE(4); i++) max = Math.max(max, buf.readUInt8(6 + i * 16) || 256);
  return max;
}

/**
 * Production dependencies (package.json "dependencies", followed transitively through
 * node_modules) that build or ship native code: a binding.gyp, `"gypfile": true`, or .node files.
 */
function nativeDependencies(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Json;
  const seen = new Set<string>();
  const native: string[] = [];
  const queue: [string, string][] = Object.keys((pkg.dependencies ?? {}) as Json).map((name) => [name, root]);
  while (queue.length > 0) {
    const [name, from] = queue.shift()!;
    const dir = findPackage(name, from);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Json;
    if (existsSync(path.join(dir, 'binding.gyp')) || manifest.gypfile === true || hasNodeFiles(dir)) native.push(name);
    for (const dep of Object.keys({ ...((manifest.dependencies ?? {}) as Json), ...((manifest.optionalDependencies ?? {}) as Json) })) {
      queue.push([dep, dir]);
    }
  }
  return native;
}

/** Node's lookup: node_modules/<name> in `from` or any folder above it. */
function findPackage(name: string, from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

/** True when a package folder (not its nested node_modules) holds a compiled .node addon. */
function hasNodeFiles(dir: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory() ? hasNodeFiles(path.join(dir, entry.name)) : entry.name.endsWith('.node')) return true;
  }
  return false;
}
