// A secret store in one JSON file beside the data: 0600 in a 0700 folder, written atomically, one
// write at a time. A file that does not read as a store is an error naming it, never replaced:
// losing a person's API keys silently is worse than refusing to start.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { formatIssues } from '../../../shared/issues.js';
import { AgentTrayError } from '../errors.js';
import { fileError } from '../io-errors.js';
import { PLAIN_CODEC, type SecretCodec, type SecretStore, type SecretStoreInfo } from './secret-store.js';

/** What the file's first line of defence says: this is ours, and how its values are written. */
const SecretsFileSchema = z
  .object({
    format: z.literal('agent-tray-secrets'),
    version: z.literal(1),
    encryption: z.string(),
    agents: z.record(z.string(), z.record(z.string(), z.string())),
  })
  .strict();
type SecretsFile = z.infer<typeof SecretsFileSchema>;

export interface JsonSecretStoreOptions {
  file: string;
  kind?: SecretStoreInfo['kind'];
  codec?: SecretCodec;
  /** Why this store was chosen over a better one (shown in the settings and `secret list`). */
  note?: string | null;
}

export class JsonSecretStore implements SecretStore {
  private readonly codec: SecretCodec;
  /** Writes (and the reads they build on) one after another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: JsonSecretStoreOptions) {
    this.codec = opts.codec ?? PLAIN_CODEC;
  }

  /** The kind, the file and the note. */
  info(): SecretStoreInfo {
    return { kind: this.opts.kind ?? 'file', file: this.opts.file, note: this.opts.note ?? null };
  }

  async values(agent: string): Promise<Record<string, string>> {
    const file = await this.after(() => this.read());
    const stored = Object.hasOwn(file.agents, agent) ? file.agents[agent]! : {};
    const out: Record<string, string> = {};
    for (const [key, text] of Object.entries(stored)) out[key] = await this.decode(agent, key, text);
    return out;
  }

  async keys(agent: string): Promise<string[]> {
    const file = await this.after(() => this.read());
    return Object.keys(Object.hasOwn(file.agents, agent) ? file.agents[agent]! : {});
  }

  async set(agent: string, key: string, value: string): Promise<void> {
    const text = await this.codec.encode(value);
    await this.change((file) => {
      const own = Object.hasOwn(file.agents, agent) ? file.agents[agent]! : {};
      file.agents[agent] = { ...own, [key]: text };
      return true;
    });
  }

  remove(agent: string, key: string): Promise<boolean> {
    return this.change((file) => {
      const own = Object.hasOwn(file.agents, agent) ? file.agents[agent]! : null;
      if (!own || !Object.hasOwn(own, key)) return false;
      delete own[key];
      if (Object.keys(own).length === 0) delete file.agents[agent];
      return true;
    });
  }

  removeAgent(agent: string): Promise<void> {
    return this.change((file) => {
      if (!Object.hasOwn(file.agents, agent)) return false;
      delete file.agents[agent];
      return true;
    }).then(() => undefined);
  }

  renameAgent(from: string, to: string): Promise<void> {
    return this.change((file) => {
      if (from === to || !Object.hasOwn(file.agents, from)) return false;
      file.agents[to] = file.agents[from]!;
      delete file.agents[from];
      return true;
    }).then(() => undefined);
  }

  /** Runs `op` after the writes asked for before it. */
  private after<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reads the file, applies `edit` (false: nothing changed) and writes it back atomically; resolves with what `edit` said. */
  private change(edit: (file: SecretsFile) => boolean): Promise<boolean> {
    return this.after(async () => {
      const file = await this.read();
      if (!edit(file)) return false;
      await this.write(file);
      return true;
    });
  }

  /** The file's content; an empty store when there is no file; an error naming the file when it is not a store. */
  private async read(): Promise<SecretsFile> {
    const file = this.opts.file;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { format: 'agent-tray-secrets', version: 1, encryption: this.codec.encryption, agents: {} };
      throw fileError(err, file, 'read');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw this.unreadable(`it is not valid JSON (${(err as Error).message})`, err);
    }
    const parsed = SecretsFileSchema.safeParse(json);
    if (!parsed.success) throw this.unreadable(`it is not an Agent Tray secret store: ${formatIssues(parsed.error).join('; ')}`);
    if (parsed.data.encryption !== this.codec.encryption) {
      throw this.unreadable(`its values are written with "${parsed.data.encryption}", and this store uses "${this.codec.encryption}"`);
    }
    return parsed.data;
  }

  /** The error for a file that exists and is not a store this one can read: nothing is written over it. */
  private unreadable(why: string, cause?: unknown): AgentTrayError {
    const file = this.opts.file;
    return new AgentTrayError('invalid-config', `The secret store ${file} cannot be read: ${why}`, {
      hint: 'Agent Tray left the file as it is and stores nothing until it reads again: restore it from a backup, or move it away and set the secrets again (agent-tray secret set NAME KEY)',
      details: { file },
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /** A stored value as the agent gets it; an error naming the agent and the variable when it cannot be decoded. */
  private async decode(agent: string, key: string, text: string): Promise<string> {
    try {
      return await this.codec.decode(text);
    } catch (err) {
      throw new AgentTrayError('invalid-config', `The secret ${key} of agent "${agent}" in ${this.opts.file} cannot be decrypted (${(err as Error).message})`, {
        hint: `It was stored by another user or machine, or the keychain entry changed; set it again: agent-tray secret set ${agent} ${key}`,
        details: { file: this.opts.file, name: agent, key },
        cause: err,
      });
    }
  }

  /** Writes the file atomically, 0600, in a 0700 folder. */
  private async write(content: SecretsFile): Promise<void> {
    const file = this.opts.file;
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    } catch (err) {
      throw fileError(err, file, 'save');
    }
  }
}
