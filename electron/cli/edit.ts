// `agent-tray edit NAME`: the agent's definition as JSON in a private temporary file, opened in
// $VISUAL or $EDITOR (else vi; notepad on Windows); on the editor's exit the file is sent to the
// running host, which checks it like any definition and saves it to agents.json. A refused edit is
// shown with the host's reason: on a terminal the person may edit it again, otherwise the file is
// kept and its path printed (`agent-tray edit NAME --from FILE` saves it once it is fixed).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { ClientError, connect, dataDirFrom, request, requireName, runClientCommand, type HostConnection } from './client.js';
import type { Line } from './commands.js';

export const EDIT_USAGE = 'agent-tray edit NAME [--from FILE] [--data-dir DIR]';

/** Errors after which editing again would not help: the host is gone or answers nonsense. */
const FATAL = ['no-host', 'unreachable', 'timeout', 'bad-response'];

/** The editor command line: $VISUAL, else $EDITOR, else vi (notepad on Windows). It may carry arguments ("code --wait"). */
export function editorCommand(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || (platform === 'win32' ? 'notepad' : 'vi');
}

/** Runs the editor on `file` on this terminal, through the shell as git does (so "code --wait" works); resolves with its exit code. */
export function runEditor(editor: string, file: string): Promise<number> {
  const child =
    process.platform === 'win32'
      ? spawn(`${editor} "${file}"`, { shell: true, stdio: 'inherit' })
      : spawn('/bin/sh', ['-c', `${editor} "$1"`, editor, file], { stdio: 'inherit' });
  const ignore = () => undefined; // Ctrl-C belongs to the editor while it runs
  process.on('SIGINT', ignore);
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  }).finally(() => process.off('SIGINT', ignore));
}

/** What `edit` needs from its surroundings: the editor, and a yes/no question on a terminal (null when there is none). */
export interface EditIo {
  editor: string;
  runEditor: (editor: string, file: string) => Promise<number>;
  ask: ((question: string) => Promise<boolean>) | null;
}

/** The terminal's io: a question only when stdin and stderr are terminals. */
function terminalIo(): EditIo {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    editor: editorCommand(),
    runEditor,
    ask: interactive
      ? async (question) => {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return !/^n/i.test((await rl.question(question)).trim());
          } finally {
            rl.close();
          }
        }
      : null,
  };
}

type Outcome = { saved: true; line: string } | { saved: false; problem: string; fatal: boolean };

/** Sends the edited text: a JSON error or the host's refusal as a problem, or the line that says it was saved. */
export async function applyEdit(conn: HostConnection, name: string, text: string): Promise<Outcome> {
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (e) {
    return { saved: false, problem: `it is not valid JSON: ${(e as Error).message}`, fatal: false };
  }
  try {
    const status = await request(conn, 'updateAgent', { name, definition } as never);
    const renamed = status.name !== name ? ` (renamed from ${name})` : '';
    const note = status.state === 'running' ? `; it runs with the old definition until it restarts: agent-tray restart ${status.name}` : '';
    return { saved: true, line: `${status.name}: saved${renamed}${note}` };
  } catch (e) {
    if (!(e instanceof ClientError)) throw e;
    return { saved: false, problem: e.message, fatal: FATAL.includes(e.code) };
  }
}

/** True when the edited text says the same as the definition: unchanged, or changed only in spacing. */
export function unchanged(original: string, edited: string): boolean {
  if (original === edited) return true;
  try {
    return isDeepStrictEqual(JSON.parse(original), JSON.parse(edited));
  } catch {
    return false;
  }
}

/** The edit loop on a private temporary file; 0 saved or unchanged, 1 not saved (the file kept and named). */
export async function editInEditor(conn: HostConnection, name: string, io: EditIo, out: Line, err: Line): Promise<number> {
  const definition = await request(conn, 'getDefinition', { name });
  const original = `${JSON.stringify(definition, null, 2)}\n`;
  const dir = await mkdtemp(path.join(tmpdir(), 'agent-tray-edit-'));
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, original, { mode: 0o600 }); // env values may be private
  const keep = (why: string) => {
    err(`agent-tray: ${name} was not saved: ${why}`);
    err(`Your edit is kept in ${file}; fix it and save it with: agent-tray edit ${name} --from ${file}`);
    return 1;
  };
  for (;;) {
    const code = await io.runEditor(io.editor, file);
    const text = await readFile(file, 'utf8');
    if (code !== 0) {
      const why = code === 127 ? `the editor "${io.editor}" was not found; set VISUAL or EDITOR to one that is installed` : `the editor "${io.editor}" exited with code ${code}`;
      if (unchanged(original, text)) {
        await rm(dir, { recursive: true, force: true });
        err(`agent-tray: ${name} was not changed: ${why}`);
        return 1;
      }
      return keep(why);
    }
    if (unchanged(original, text)) {
      await rm(dir, { recursive: true, force: true });
      out(`${name}: no change`);
      return 0;
    }
    const outcome = await applyEdit(conn, name, text);
    if (outcome.saved) {
      await rm(dir, { recursive: true, force: true });
      out(outcome.line);
      return 0;
    }
    if (outcome.fatal || !io.ask) return keep(outcome.problem);
    err(`agent-tray: ${name} was not saved: ${outcome.problem}`);
    if (!(await io.ask('Edit it again? [Y/n] '))) return keep('you chose not to edit it again');
  }
}

/** `agent-tray edit NAME [--from FILE]`. */
export function editCommand(argv: string[], out: Line, err: Line, io: EditIo = terminalIo()): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, from: { type: 'string' } } });
    const name = requireName(positionals, EDIT_USAGE);
    const conn = await connect(dataDirFrom(values['data-dir']));
    if (values.from === undefined) return editInEditor(conn, name, io, out, err);
    let text: string;
    try {
      text = await readFile(path.resolve(values.from), 'utf8');
    } catch (e) {
      throw new ClientError(`Cannot read ${values.from} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the file your edit was kept in`, 'not-found');
    }
    const outcome = await applyEdit(conn, name, text);
    if (!outcome.saved) throw new ClientError(`${name} was not saved from ${values.from}: ${outcome.problem}`, 'invalid-definition');
    out(outcome.line);
    return 0;
  });
}
