// `agent-tray export --to process-compose|systemd|kubernetes [--out DIR] [--image NAME=IMAGE]...
// [NAME...]`: the agents written for another tool. The running host answers when there is one (the
// configuration in force); without one, agents.json and settings.json are read directly (export
// only reads, so no host is needed). With --out the files are written there — never over an
// existing file unless --force — else printed; everything the target cannot express is listed.
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_TARGETS, type ExportResult, type ExportTarget } from '../../shared/export.js';
import { loadAgentsFile } from '../app/agents-file.js';
import { locateData } from '../app/data-location.js';
import { exportAgents, findProgram } from '../app/export/index.js';
import { loadSettings } from '../app/settings-file.js';
import { AgentTrayError } from '../core/errors.js';
import { fileError } from '../core/io-errors.js';
import { ClientError, connect, request, runClientCommand, UsageError } from './client.js';
import type { Line } from './commands.js';

export const EXPORT_USAGE = 'agent-tray export --to process-compose|systemd|kubernetes [--out DIR [--force]] [--image NAME=IMAGE]... [--json] [--data-dir DIR] [--config FILE] [NAME...]';

interface Parsed {
  to: ExportTarget;
  out: string | null;
  force: boolean;
  json: boolean;
  images: string[];
  names: string[];
  dataDir: string | undefined;
  config: string | undefined;
}

/** The command line, checked; a UsageError names what is wrong. */
function parse(argv: string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      image: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
    },
  });
  const to = values.to;
  if (!to) throw new UsageError(`say what to export to: --to ${EXPORT_TARGETS.join('|')}\nUsage: ${EXPORT_USAGE}`);
  if (!(EXPORT_TARGETS as readonly string[]).includes(to)) throw new UsageError(`--to "${to}" is not one of ${EXPORT_TARGETS.join(', ')}\nUsage: ${EXPORT_USAGE}`);
  if (values.force && !values.out) throw new UsageError(`--force only applies with --out DIR\nUsage: ${EXPORT_USAGE}`);
  return { to: to as ExportTarget, out: values.out ?? null, force: values.force, json: values.json, images: values.image ?? [], names: positionals, dataDir: values['data-dir'], config: values.config };
}

/** The export from the running host, or from the files when none runs (or --config names a file the host may not use); says which. */
async function runExport(p: Parsed): Promise<{ result: ExportResult; source: string }> {
  const { paths, agentsFile } = locateData({ dataDir: p.dataDir, config: p.config });
  if (!p.config) {
    try {
      const conn = await connect(paths.root);
      const result = await request(conn, 'exportAgents', { to: p.to, ...(p.names.length ? { names: p.names.join(',') } : {}), ...(p.images.length ? { image: p.images.join(',') } : {}) });
      return { result, source: `the running host (pid ${conn.pid})` };
    } catch (e) {
      if (!(e instanceof ClientError) || e.code !== 'no-host') throw e;
    }
  }
  const [file, settings] = await Promise.all([loadAgentsFile(agentsFile), loadSettings(paths.settingsFile)]);
  try {
    const result = exportAgents({ to: p.to, names: p.names, image: p.images }, { agents: file.agents, defaults: settings.defaults, dataDir: paths.root, env: process.env, platform: process.platform, which: findProgram });
    return { result, source: agentsFile };
  } catch (e) {
    // an unknown NAME or --image: the action failed, as it does against a host
    if (e instanceof AgentTrayError) throw new ClientError(e.hint ? `${e.message.replace(/[.\s]+$/, '')}. ${e.hint}` : e.message, e.code);
    throw e;
  }
}

/** Writes the files into `dir` (created if needed); refuses, writing nothing, when one exists and `force` is off. */
async function writeFiles(dir: string, files: ExportResult['files'], force: boolean): Promise<string[]> {
  const targets = files.map((f) => path.join(dir, f.path));
  if (!force) {
    const existing = (await Promise.all(targets.map(async (t) => ((await lstat(t).then(() => true, () => false)) ? t : null)))).filter((t): t is string => t !== null);
    if (existing.length > 0) {
      throw new ClientError(`Nothing was written: ${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}. Pass --force to replace ${existing.length === 1 ? 'it' : 'them'}, or choose another --out folder`, 'conflict');
    }
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw asClientError(e, dir, 'create the folder');
  }
  for (const [i, f] of files.entries()) {
    const target = targets[i] as string;
    try {
      await writeFile(target, f.content, { flag: force ? 'w' : 'wx' });
    } catch (e) {
      throw asClientError(e, target, 'write');
    }
  }
  return targets;
}

/** A file system error as a failed action (exit code 1) naming the file, the cause and the fix. */
function asClientError(e: unknown, file: string, action: string): ClientError {
  const err = fileError(e, file, action);
  return new ClientError(err.hint ? `${err.message}. ${err.hint}` : err.message, err.code);
}

/** What could not be carried over and what to do next, as lines. */
function reportLines(result: ExportResult): string[] {
  const lines: string[] = [];
  if (result.lost.length > 0) {
    lines.push(`Not carried over to ${result.target} (${result.lost.length}):`);
    for (const l of result.lost) lines.push(`  ${l.agent}: ${l.field}: ${l.reason}`);
  } else lines.push(`Everything was carried over to ${result.target}.`);
  if (result.notes.length > 0) {
    lines.push('Notes:');
    for (const n of result.notes) lines.push(`  - ${n}`);
  }
  return lines;
}

/** Runs the command; 0 (also when some fields were lost: they are listed), 1 when the export or a write failed, 2 for a usage error. */
export function exportCommand(argv: string[], out: Line, err: Line): Promise<number> {
  return runClientCommand(err, async () => {
    const p = parse(argv);
    const { result, source } = await runExport(p);
    if (p.out !== null) {
      const written = await writeFiles(path.resolve(p.out), result.files, p.force);
      if (p.json) {
        out(JSON.stringify(result, null, 2));
        return 0;
      }
      out(`Exported the agents of ${source} to ${result.target}; wrote ${written.length} file${written.length === 1 ? '' : 's'}:`);
      for (const w of written) out(`  ${w}`);
      for (const line of reportLines(result)) out(line);
      return 0;
    }
    if (p.json) {
      out(JSON.stringify(result, null, 2));
      return 0;
    }
    // the files on stdout (several: each after a "==> name <==" line), the report on stderr
    const [only, ...more] = result.files;
    if (only && more.length === 0) out(only.content.replace(/\n$/, ''));
    else for (const f of result.files) out(`==> ${f.path} <==\n${f.content.replace(/\n$/, '')}\n`);
    err(`Exported the agents of ${source} to ${result.target}.`);
    for (const line of reportLines(result)) err(line);
    return 0;
  });
}
