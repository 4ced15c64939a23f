// The layer and IPC boundaries of eslint.config.js, checked on small snippets with ESLint's own
// API: each rule must refuse what it is there to refuse, and allow it where it belongs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The messages of the rules that fired for `code` as if it were the file `filePath`. */
async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const IPC_MAIN = "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n";
const SEND = "export function f(win: { webContents: { send(c: string): void } }) { win.webContents.send('x'); }\n";

test('ipcMain and webContents.send are refused in the main process outside the IPC wrappers', async () => {
  assert.match((await problems(IPC_MAIN, 'electron/main/index.ts')).join('\n'), /typed IPC wrappers/);
  assert.match((await problems(SEND, 'electron/main/tray/tray-controller.ts')).join('\n'), /typed IPC wrappers/);
  assert.match((await problems("const webContents = { send() {} }; webContents.send('x');\n", 'electron/main/window.ts')).join('\n'), /typed IPC wrappers/);
});

test('the IPC wrappers may use them', async () => {
  assert.deepEqual(await problems(IPC_MAIN, 'electron/main/ipc/electron-ipc.ts'), []);
  assert.deepEqual(await problems(SEND, 'electron/main/ipc/event-channel.ts'), []);
  assert.deepEqual(await problems("import { ipcRenderer } from 'electron';\nipcRenderer.send('x');\n", 'electron/preload/index.ts'), []);
});

test('ipcRenderer is refused in the renderer (and so is electron itself)', async () => {
  const found = await problems("import { ipcRenderer } from 'electron';\nipcRenderer.send('x');\n", 'renderer/App.tsx');
  assert.ok(found.some((m) => /typed IPC wrappers/.test(m)));
  assert.ok(found.some((m) => /Only the Electron host/.test(m)));
});

test('the engine may not import electron; the renderer may not import Node built-ins', async () => {
  assert.match((await problems("import { app } from 'electron';\nexport const a = app;\n", 'electron/core/engine-x.ts')).join('\n'), /Only the Electron host/);
  assert.match((await problems("import { readFile } from 'node:fs';\nexport const r = readFile;\n", 'renderer/store/x.ts')).join('\n'), /sandboxed web page/);
  assert.match((await problems("import { readFile } from 'node:fs';\nexport const r = readFile;\n", 'electron/preload/x.ts')).join('\n'), /sandboxed preload/);
});
