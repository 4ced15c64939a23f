// Where the headless host finds its own files: the built renderer and the package version, both
// from the compiled module (dist/electron/server/*.js) and from source (electron/server/*.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The project root and whether `moduleDir` lies in the compiled tree (`<root>/dist/electron/server`). */
export function installLayout(moduleDir: string = HERE): { root: string; compiled: boolean } {
  const twoUp = path.resolve(moduleDir, '..', '..');
  const compiled = path.basename(twoUp) === 'dist';
  return { root: compiled ? path.dirname(twoUp) : twoUp, compiled };
}

/** The built renderer (`dist/renderer`, with its index.html), or null when it has not been built. */
export function rendererDir(moduleDir: string = HERE): string | null {
  const { root } = installLayout(moduleDir);
  const dir = path.join(root, 'dist', 'renderer');
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

/** The version of the agent-tray package, or '0.0.0' when its package.json cannot be read. */
export function packageVersion(moduleDir: string = HERE): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(installLayout(moduleDir).root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
