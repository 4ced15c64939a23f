// The working folder of an imported agent: what the source says, taken from the source file's folder
// when relative, and that folder when it says nothing.
import path from 'node:path';
import type { NotCarried, ParseContext } from './types.js';

/** The agent's cwd from a folder setting (`working_dir`, PM2's `cwd`): absolute as written, relative from the file's folder, none without it; the folder itself when the setting is absent. What cannot be resolved is said in `out`. */
export function folderOf(value: unknown, field: string, ctx: ParseContext, out: NotCarried[]): string | null {
  const paths = ctx.platform === 'win32' ? path.win32 : path.posix;
  if (typeof value === 'string' && value) {
    if (paths.isAbsolute(value)) return value;
    if (ctx.dir) return paths.resolve(ctx.dir, value);
    out.push({ field, reason: `"${value}" is taken from the file's folder, which was not given; the agent runs in the data directory until you set its cwd` });
    return null;
  }
  if (!ctx.dir) out.push({ field, reason: 'none is set and the file\'s folder was not given; the agent runs in the data directory until you set its cwd' });
  return ctx.dir;
}
