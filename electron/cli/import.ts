// `agent-tray import FILE [--dry-run] [--prefix P] [--allow-code] [--json]`: sends a Procfile, a
// process-compose.yaml or a PM2 ecosystem file to the running host, with the folder it is in (so
// relative paths and env files beside it work), and prints a table of the agents it creates or
// skips, what each could not carry over and why. A PM2 .js file is code: it is only run with
// --allow-code, or after a yes to the question asked in a terminal.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { ImportResult } from '../../shared/import.js';
import { detectFormat } from '../app/import/detect.js';
import { commandLine } from '../core/pid-file.js';
import { ClientError, connect, dataDirFrom, request, runClientCommand, UsageError } from './client.js';
import { renderTable } from './status.js';

export const IMPORT_USAGE = 'agent-tray import FILE [--dry-run] [--prefix P] [--allow-code] [--json] [--data-dir DIR]';

/** The lines `import` prints for a result: the table, then why agents were skipped, what was not carried over, the notes, and what happened. */
export function importLines(result: ImportResult, dryRun: boolean): string[] {
  const rows = result.agents.map((a) => [a.name, a.status, commandLine(a.definition.command, a.definition.args ?? []), a.notCarried.length ? [...new Set(a.notCarried.map((n) => n.field))].join(', ') : '-']);
  const lines = [`${result.format} file: ${result.agents.length} agent${result.agents.length === 1 ? '' : 's'}`, ...renderTable(['NAME', 'STATUS', 'COMMAND', 'NOT CARRIED OVER'], rows)];
  const skipped = result.agents.filter((a) => a.status === 'skip');
  if (skipped.length) lines.push('', 'Skipped:', ...skipped.map((a) => `  ${a.name}: ${a.reason ?? 'skipped'}`));
  const notCarried = result.agents.flatMap((a) => a.notCarried.map((n) => `  ${a.name}: ${n.field}: ${n.reason}`));
  if (notCarried.length) lines.push('', 'Not carried over:', ...notCarried);
  if (result.missingFiles.length) lines.push('', `Not found: ${result.missingFiles.join(', ')} (their variables are missing)`);
  if (result.notes.length) lines.push('', 'Notes:', ...result.notes.map((n) => `  - ${n}`));
  const creatable = result.agents.filter((a) => a.status === 'create').map((a) => a.name);
  lines.push('');
  if (dryRun) lines.push(creatable.length ? `Dry run, nothing saved: ${creatable.length} agent${creatable.length === 1 ? '' : 's'} would be created` : 'Dry run, nothing saved: no agent could be created');
  else if (result.created.length) lines.push(`Created ${result.created.length} agent${result.created.length === 1 ? '' : 's'}: ${result.created.join(', ')}. Start one with: agent-tray start NAME`);
  else lines.push('Nothing was imported');
  return lines;
}

/** True when the file is a PM2 ecosystem .js file (code); false for every other file, or one the host will refuse. */
function isCode(fileName: string, content: string): boolean {
  try {
    return detectFormat(fileName, content).kind === 'pm2-code';
  } catch {
    return false; // the host says why, in the same words
  }
}

/** Asks in the terminal whether the code file may be run; false when stdin or stdout is not a terminal. */
async function confirmCode(file: string, out: (line: string) => void): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  out(`${file} is JavaScript: to read its apps, Agent Tray runs it in a separate Node process that can read only this file, with an empty environment, for at most 10 seconds.`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question('Run it? [y/N] ')).trim());
  } finally {
    rl.close();
  }
}

/** Runs the import; 0 when an agent was (or, with --dry-run, would be) created, 1 when none could be, 2 on usage errors. */
export function importCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        prefix: { type: 'string' },
        'allow-code': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const [file, ...extra] = positionals;
    if (!file) throw new UsageError(`missing the FILE to import\nUsage: ${IMPORT_USAGE}`);
    if (extra.length) throw new UsageError(`one FILE only (got ${positionals.join(', ')})\nUsage: ${IMPORT_USAGE}`);
    const full = path.resolve(file);
    let content: string;
    try {
      content = await readFile(full, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ClientError(`Cannot read ${full}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder; name the file in it (Procfile, process-compose.yaml, ecosystem.config.js)' : ((e as Error).message ?? code)}`, 'not-found');
    }
    let allowCode = values['allow-code'];
    if (!allowCode && isCode(full, content)) {
      allowCode = await confirmCode(file, out);
      if (!allowCode) {
        throw new ClientError(`${file} is JavaScript, and reading it means running it; nothing was imported. If you trust it, run again with --allow-code (it runs in a separate Node process that can read only this file)`, 'conflict');
      }
    }
    const dryRun = values['dry-run'];
    const conn = await connect(dataDirFrom(values['data-dir']));
    const result = await request(conn, 'importAgents', {
      fileName: path.basename(full),
      content,
      dir: path.dirname(full),
      dryRun,
      allowCode,
      ...(values.prefix !== undefined ? { prefix: values.prefix } : {}),
    });
    if (values.json) out(JSON.stringify(result, null, 2));
    else for (const line of importLines(result, dryRun)) out(line);
    const ok = dryRun ? result.agents.some((a) => a.status === 'create') : result.created.length > 0;
    return ok ? 0 : 1;
  });
}
