// One configuration file a person may edit by hand while Agent Tray runs (agents.json,
// settings.json): the content in force, the text it came from, and the state of the file on disk.
// A valid hand edit becomes the content in force; an invalid one is reported and changes nothing;
// a save re-reads the file first and builds on what it finds, so no save overwrites a change it has
// not read, and a file that does not load is never written over.
import { basename } from 'node:path';
import type { ConfigFileStatus } from '../../shared/commands.js';
import { AgentTrayError } from '../core/errors.js';
import { readTextFile, writeWithBackup } from './json-file.js';

/** Why a file does not load, and where. */
export type ConfigProblem = NonNullable<ConfigFileStatus['error']>;
export type { ConfigFileStatus };

export interface ConfigFileSpec<T> {
  file: string;
  /** Parses and validates the text; throws an AgentTrayError (invalid-config) with details.line/column. */
  parse(text: string): T;
  /** The content of a file that does not exist. */
  missing: T;
}

/** What happened to the file: a new content in force, a problem, or the problem gone. */
export type ConfigChange<T> = { kind: 'changed'; before: T; after: T } | { kind: 'invalid'; problem: ConfigProblem } | { kind: 'valid-again' };

/** The problem an error describes, with its line and column when it has them. */
export function problemOf(err: unknown): ConfigProblem {
  const details = err instanceof AgentTrayError ? err.details : {};
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return { message: (err as Error).message, line: num(details.line), column: num(details.column) };
}

export class ConfigFile<T> {
  /** Reads and writes run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The text the content in force came from (null: there was no file). Always a text that loads. */
  private text: string | null;
  /** The text last looked at, loading or not (so one invalid edit is reported once). */
  private seen: string | null;
  private problem: ConfigProblem | null = null;
  private loadedAt = Date.now();
  /** Told of every change that did not come from `write` (set by the application). */
  onChange: (change: ConfigChange<T>) => void = () => undefined;

  private constructor(
    private readonly spec: ConfigFileSpec<T>,
    private content: T,
    text: string | null,
  ) {
    this.text = text;
    this.seen = text;
  }

  /** Reads the file; one that does not load is an error (nothing is started on a configuration that is not understood). */
  static async load<T>(spec: ConfigFileSpec<T>): Promise<ConfigFile<T>> {
    const text = await readTextFile(spec.file);
    return new ConfigFile(spec, text === null ? spec.missing : spec.parse(text), text);
  }

  get file(): string {
    return this.spec.file;
  }

  /** The content in force. */
  get value(): T {
    return this.content;
  }

  /** Whether the file loads, why not, and when the content in force was loaded. */
  status(): ConfigFileStatus {
    return { file: this.spec.file, ok: this.problem === null, error: this.problem, loadedAt: this.loadedAt };
  }

  /** Looks at the file again (after a watch event): a valid edit comes into force, an invalid one is reported. A vanished file changes nothing. */
  refresh(): Promise<void> {
    return this.serial(async () => {
      let text: string | null;
      try {
        text = await readTextFile(this.spec.file);
      } catch (err) {
        this.report(problemOf(err));
        return;
      }
      if (text === null || text === this.seen) return;
      this.seen = text;
      if (text === this.text) {
        this.clearProblem(); // put back as it was
        return;
      }
      let next: T;
      try {
        next = this.spec.parse(text);
      } catch (err) {
        this.report(problemOf(err));
        return;
      }
      this.absorb(next, text);
    });
  }

  /**
   * Writes what `make` builds from the content in force and the file's text. The file is read
   * first: a valid change made by hand comes into force before `make` runs (merged), a file that
   * does not load is refused with `config-changed` and left as it is.
   */
  write(make: (current: T, text: string | null) => { text: string; value: T }): Promise<T> {
    return this.serial(async () => {
      const onDisk = await readTextFile(this.spec.file);
      if (onDisk !== null && onDisk !== this.text) {
        let handEdit: T;
        try {
          handEdit = this.spec.parse(onDisk);
        } catch (err) {
          if (onDisk !== this.seen) this.report(problemOf(err));
          this.seen = onDisk;
          throw this.changedOnDisk(err);
        }
        this.seen = onDisk;
        this.absorb(handEdit, onDisk);
      }
      const next = make(this.content, onDisk);
      await writeWithBackup(this.spec.file, next.text, onDisk);
      this.content = next.value;
      this.text = next.text;
      this.seen = next.text;
      this.loadedAt = Date.now();
      this.clearProblem(); // the file loads again: it is what was just written
      return next.value;
    });
  }

  /** A valid text that differs from the one in force becomes the content in force. */
  private absorb(next: T, text: string): void {
    const before = this.content;
    this.content = next;
    this.text = text;
    this.loadedAt = Date.now();
    this.clearProblem();
    this.onChange({ kind: 'changed', before, after: next });
  }

  /** The file loads (again): a problem reported before is over. */
  private clearProblem(): void {
    if (this.problem === null) return;
    this.problem = null;
    this.onChange({ kind: 'valid-again' });
  }

  private report(problem: ConfigProblem): void {
    this.problem = problem;
    this.onChange({ kind: 'invalid', problem });
  }

  /** The 409 for a save refused because the file was changed by hand and does not load now. */
  private changedOnDisk(cause: unknown): AgentTrayError {
    const name = basename(this.spec.file);
    const p = problemOf(cause);
    const where = p.line !== null ? ` (line ${p.line}, column ${p.column})` : '';
    return new AgentTrayError('config-changed', `Not saved: ${this.spec.file} was changed on disk and does not load now${where}, so your change was not written over it. ${p.message}`, {
      hint: `Fix ${name} in an editor (Agent Tray applies it within 2 seconds) or put ${name}.bak back, then try again; until then the configuration loaded last stays in force`,
      details: { file: this.spec.file, line: p.line, column: p.column },
      cause,
    });
  }

  private serial<R>(op: () => Promise<R>): Promise<R> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
