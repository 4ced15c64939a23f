// ESLint flat config. Besides the recommended rules it enforces the layer boundaries of
// DESIGN.md: only the Electron host imports 'electron', and the renderer imports only shared/
// and its own files.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronMessage =
  'Only the Electron host (electron/main, electron/preload) may import Electron: the engine, ' +
  'the app, the headless host and the UI must run under plain Node or in a browser.';

const rendererMessage =
  'The renderer runs as a sandboxed web page (in Electron or a browser against the headless ' +
  'host): import only from ../shared/ and renderer/ files, never electron/ code or Node built-ins.';

// Built-ins a sandboxed preload's require() can load; anything else fails at runtime there.
const preloadBuiltins = new Set(['events', 'timers', 'url']);

const preloadMessage =
  "A sandboxed preload can require() only 'electron', 'events', 'timers' and 'url'; " +
  'ask the main process over IPC for anything else.';

/** Restrictions on the 'electron' package, shared by every non-host file. */
const noElectron = {
  paths: [{ name: 'electron', message: electronMessage }],
  patterns: [{ regex: '^electron/', caseSensitive: true, message: electronMessage }],
};

const ipcMessage =
  'Only the typed IPC wrappers (electron/main/ipc/, electron/preload/) may touch ipcMain, ' +
  'ipcRenderer or webContents.send: every message must pass their sender check and validation.';

/** Direct use of Electron's IPC objects, allowed only in the wrappers. */
const ipcSyntax = [
  { selector: "Identifier[name='ipcMain']", message: ipcMessage },
  { selector: "Identifier[name='ipcRenderer']", message: ipcMessage },
  { selector: "MemberExpression[property.name='send'][object.property.name='webContents']", message: ipcMessage },
  { selector: "MemberExpression[property.name='send'][object.name='webContents']", message: ipcMessage },
];

const bareBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

export default defineConfig([
  globalIgnores([
    'dist/',
    'dist.next-*/',
    'dist.old-*/',
    'release/',
    '.tmp/',
    'out/',
    'bench/results/',
    'node_modules/',
    'coverage/',
    'test-results/',
  ]),
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', noElectron],
      'no-restricted-syntax': ['error', ...ipcSyntax],
    },
  },
  {
    // The IPC wrappers themselves, and the tests' stand-ins for Electron's IPC objects.
    files: ['electron/main/ipc/**', 'electron/preload/**', 'test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The Electron host: main may use Electron and Node freely.
    files: ['electron/main/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The preload runs sandboxed: Electron yes, most Node built-ins no.
    files: ['electron/preload/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: bareBuiltins
            .filter((name) => !preloadBuiltins.has(name))
            .map((name) => ({ name, message: preloadMessage })),
          patterns: [{ regex: '^node:(?!(events|timers|url)$)', message: preloadMessage }],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      // Replaces the rule options above, so the electron restriction is repeated here.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...noElectron.paths,
            ...bareBuiltins.map((name) => ({ name, message: rendererMessage })),
          ],
          patterns: [
            ...noElectron.patterns,
            { regex: '(^|/)electron/', message: rendererMessage },
            { regex: '^node:', message: rendererMessage },
          ],
        },
      ],
    },
  },
]);
