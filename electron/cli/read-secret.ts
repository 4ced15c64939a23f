// Reading a secret's value on the command line without it ever being an argument (argv is visible
// to other users in `ps`): from a named environment variable, from piped stdin, or typed at a
// prompt that does not echo.
import type { Readable, Writable } from 'node:stream';
import { UsageError } from './client.js';

/** The value piped in: everything on stdin, one trailing line break dropped (what `echo` and heredocs add). */
export async function readPipedValue(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** A line typed at a terminal without echo; Ctrl-C or Ctrl-D on an empty line gives up. */
export function promptHidden(question: string, input: NodeJS.ReadStream, output: Writable): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    output.write(question);
    input.setRawMode(true);
    input.resume();
    const done = (err: Error | null) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return done(new UsageError('cancelled; nothing was stored'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

/** The value for `secret set`: --value-from-env VAR, else stdin (piped, or a hidden prompt at a terminal). */
export async function secretValue(opts: { fromEnv: string | undefined; label: string; env: NodeJS.ProcessEnv; stdin: NodeJS.ReadStream; stderr: Writable }): Promise<string> {
  let value: string;
  if (opts.fromEnv !== undefined) {
    const v = opts.env[opts.fromEnv];
    if (v === undefined) throw new UsageError(`--value-from-env ${opts.fromEnv}: that variable is not set in this shell`);
    value = v;
  } else if (opts.stdin.isTTY) {
    value = await promptHidden(`Value of ${opts.label} (not shown): `, opts.stdin, opts.stderr);
  } else {
    value = await readPipedValue(opts.stdin);
  }
  if (value === '') throw new UsageError(`no value for ${opts.label}: pipe it in (printf %s "$VALUE" | agent-tray secret set …), type it at the prompt, or use --value-from-env VAR`);
  return value;
}
