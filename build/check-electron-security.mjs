// Scans the built app with Electronegativity (@doyensec/electronegativity) for Electron security
// misconfigurations. Run by `npm run security` after `npm run build`; CI runs it after the tests.
//
//   input    dist/ (main process, preload, renderer page and bundle, shared), as packaged
//   reports  test-results/electronegativity.sarif (for code-scanning tools) and .csv
//   exit     1 when a HIGH severity finding exists or a file could not be parsed (an unparsed
//            file is an unscanned file); MEDIUM, LOW and INFORMATIONAL are printed, not fatal;
//            2 when there is nothing to scan
//
// Electronegativity only reads .js/.jsx/.ts/.tsx/.html/.htm files, so the preload bundle
// (dist/electron/preload/index.cjs) would be skipped: the scan runs on a copy of dist/ in
// .tmp/electronegativity/ where .cjs/.mjs files get an extra .js suffix; the report names the
// original files. The copy also holds package.json, so the tool knows the Electron version.
//
// Its JavaScript parsers predate ES2022 class private members (`#field`): a file that uses them
// fails with "Unknown node type ClassPrivateProperty" and is not scanned. Such files are lowered
// to ES2021 in the copy by TypeScript's transpiler (private members become WeakMaps; nothing else
// changes) and the report marks them, as their line numbers then refer to the lowered copy.
//
// Network: the tool tries to fetch updated translations (a 1 s timeout) and, when it knows the
// Electron version, GitHub's list of Electron releases to tell whether newer patch releases
// carry security fixes. Offline both fail with a printed line and the scan goes on without them.
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import run from '@doyensec/electronegativity';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
// Arguments, both optional: [BUILD_DIR] a build to scan instead of dist/ (same layout);
// --out DIR puts the reports and the working copy under DIR (the unit test uses both).
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 ? path.resolve(args.splice(outIndex, 2)[1] ?? '.') : null;
const dist = args[0] ? path.resolve(args[0]) : path.join(root, 'dist');
const staging = outDir ? path.join(outDir, 'staging') : path.join(root, '.tmp', 'electronegativity');
const reportDir = outDir ?? path.join(root, 'test-results');
const sarifPath = path.join(reportDir, 'electronegativity.sarif');
const csvPath = path.join(reportDir, 'electronegativity.csv');

// Findings reviewed by hand, and why they stay. They are printed with this note, never hidden;
// a new finding of the same check in another file gets no note. Key: "<CHECK_ID> <file>".
const REVIEWED = {
  'PRELOAD_JS_CHECK electron/main/window.js':
    'a "review the preload" reminder, raised for every preload. Ours is a sandboxed bundle that ' +
    'exposes only the typed bridge through contextBridge (one function per command and ' +
    'subscribe), never ipcRenderer itself.',
  'AUXCLICK_JS_CHECK electron/main/window.js':
    'a middle click on a link asks for a new window; every web contents gets a ' +
    'setWindowOpenHandler that denies it and hands web links to the system browser ' +
    '(electron/main/security.ts, applied on web-contents-created), which the scanner cannot ' +
    "see. webPreferences.disableBlinkFeatures: 'Auxclick' would silence it as defence in depth.",
  'OPEN_EXTERNAL_JS_CHECK electron/main/security.js':
    'links a page opens or navigates to go to the system browser only when isSafeExternalUrl ' +
    '(electron/main/external-links.ts) allows the protocol: http, https, mailto. file:, ' +
    'javascript: and custom schemes that start programs are refused.',
  'CSP_GLOBAL_CHECK renderer/index.html':
    "the CSP evaluator's generic caution on script-src 'self' (a site that also serves JSONP or " +
    'user uploads). In a browser the headless host serves only the built assets and a JSON API ' +
    "behind a bearer token. In the app the page is file://, where 'self' reaches local files " +
    '(agent logs among them), so this rests on the renderer never turning text into markup: ' +
    'React escapes it, and nothing may use dangerouslySetInnerHTML or innerHTML (anser output ' +
    'included).',
};

/** True when a script declares or uses class private members (#name), which the scanner cannot walk. */
function hasPrivateMembers(file, text) {
  if (!/#[A-Za-z_$]/.test(text)) return false;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const visit = (node) => ts.isPrivateIdentifier(node) || ts.forEachChild(node, visit) === true;
  return visit(source);
}

/** The same script with ES2022 class features lowered to ES2021; modules, imports and the rest kept. */
function lowerToEs2021(file, text) {
  const result = ts.transpileModule(text, {
    fileName: file,
    compilerOptions: { target: ts.ScriptTarget.ES2021, module: ts.ModuleKind.Preserve, allowJs: true, removeComments: false },
  });
  return result.outputText;
}

/**
 * Copy dist/ to the staging folder: no source maps or icons, .cjs/.mjs renamed to .cjs.js/.mjs.js,
 * scripts with private class members lowered. Returns the number of files and the lowered ones.
 */
async function stage() {
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  let count = 0;
  const lowered = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.endsWith('.map')) continue;
    const source = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dist, source);
    if (relative.startsWith(`icons${path.sep}`)) continue;
    const target = path.join(staging, /\.(cjs|mjs)$/.test(relative) ? `${relative}.js` : relative);
    await mkdir(path.dirname(target), { recursive: true });
    count++;
    if (/\.(js|cjs|mjs)$/.test(relative)) {
      const text = await readFile(source, 'utf8');
      if (hasPrivateMembers(relative, text)) {
        await writeFile(target, lowerToEs2021(relative, text));
        lowered.push(relative.split(path.sep).join('/'));
        continue;
      }
    }
    await cp(source, target);
  }
  await cp(path.join(root, 'package.json'), path.join(staging, 'package.json'));
  return { count, lowered };
}

/** A path in the report back to the file in dist/ it was copied from. */
function original(file) {
  const relative = path.isAbsolute(file) ? path.relative(staging, file) : file;
  return relative.split(path.sep).join('/').replace(/\.(cjs|mjs)\.js$/, '.$1');
}

/** One CSV field, quoted. */
function csvField(value) {
  return `"${String(value ?? '').replaceAll('"', '""').replaceAll(/\r?\n/g, ' ')}"`;
}

async function main() {
  if (!existsSync(path.join(dist, 'electron', 'main', 'index.js'))) {
    console.error(`security: ${path.relative(root, dist) || dist}/ is not built; run \`npm run build\` first`);
    return 2;
  }
  const electronVersion = JSON.parse(await readFile(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const { count, lowered } = await stage();
  await mkdir(reportDir, { recursive: true });
  console.log(`security: Electronegativity on ${count} files of ${path.relative(root, dist) || dist}/, Electron ${electronVersion}`);
  if (lowered.length > 0) console.log(`security: lowered to ES2021 for the parser: ${lowered.join(', ')}`);

  // The tool picks its message language from LANG; en-US is one it ships.
  process.env.LANG = 'en-US';
  const result = await run({
    input: staging,
    output: sarifPath,
    isSarif: true,
    isRelative: true,
    electronVersionOverride: electronVersion,
  });

  const issues = result.issues
    .map((issue) => ({
      id: issue.id,
      severity: issue.severity.name,
      level: issue.severity.value,
      confidence: issue.confidence.name,
      file: original(issue.file),
      line: issue.location?.line ?? 0,
      column: issue.location?.column ?? 0,
      description: issue.description,
      sample: issue.sample ?? '',
      review: issue.manualReview === true,
    }))
    .sort((a, b) => b.level - a.level || a.id.localeCompare(b.id) || a.file.localeCompare(b.file));

  const csv = [
    ['check', 'severity', 'confidence', 'file', 'line', 'column', 'description', 'sample'].join(','),
    ...issues.map((i) => [i.id, i.severity, i.confidence, i.file, i.line, i.column, i.description, i.sample].map(csvField).join(',')),
  ];
  await writeFile(csvPath, `${csv.join('\n')}\n`);

  for (const i of issues) {
    const where = `${i.file}:${i.line}:${i.column}${lowered.includes(i.file) ? ' (in the lowered copy)' : ''}`;
    console.log(`\n${i.severity.padEnd(13)} ${i.id}  ${where}  (confidence ${i.confidence}${i.review ? ', needs review' : ''})`);
    console.log(`              ${i.description}`);
    const note = REVIEWED[`${i.id} ${i.file}`];
    if (note) console.log(`              reviewed: ${note}`);
  }

  const unparsed = result.errors.filter((e) => !e.tolerable);
  for (const e of result.errors) {
    console.log(`${e.tolerable ? 'parse warning' : 'PARSE ERROR'}: ${original(e.file)}: ${e.message}`);
  }

  const bySeverity = (name) => issues.filter((i) => i.severity === name).length;
  console.log(
    `\nsecurity: ${bySeverity('HIGH')} high, ${bySeverity('MEDIUM')} medium, ${bySeverity('LOW')} low, ` +
      `${bySeverity('INFORMATIONAL')} informational; reports in ${path.relative(root, sarifPath)}, ${path.relative(root, csvPath)}`,
  );
  if (bySeverity('HIGH') > 0) {
    console.error('security: FAILED: high-severity findings');
    return 1;
  }
  if (unparsed.length > 0) {
    console.error(`security: FAILED: ${unparsed.length} file(s) could not be parsed, so they were not scanned`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
