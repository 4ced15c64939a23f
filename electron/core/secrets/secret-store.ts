// Where an agent's secret variables are kept: never in agents.json, always behind this interface.
// Two stores implement it: a private JSON file (headless, and the desktop app's fallback) and the
// same file format with every value encrypted by the desktop's keychain (electron/main glue).
import type { SecretStoreInfo } from '../../../shared/env.js';

export type { SecretStoreInfo };

export interface SecretStore {
  /** Which kind of store this is, its file, and why a fallback was taken. */
  info(): SecretStoreInfo;
  /** Every stored value of one agent, by variable name. */
  values(agent: string): Promise<Record<string, string>>;
  /** The variable names stored for one agent (no values). */
  keys(agent: string): Promise<string[]>;
  /** Stores (or replaces) one value. */
  set(agent: string, key: string, value: string): Promise<void>;
  /** Removes one value; false when there was none. */
  remove(agent: string, key: string): Promise<boolean>;
  /** Removes every value of an agent (the agent was removed). */
  removeAgent(agent: string): Promise<void>;
  /** Moves an agent's values to its new name (the agent was renamed). */
  renameAgent(from: string, to: string): Promise<void>;
}

/** Turns a value into what the file holds and back; the plain store keeps values as they are. */
export interface SecretCodec {
  /** What the file says about its values: "none" (plain) or the encryption's name. */
  readonly encryption: string;
  encode(value: string): string | Promise<string>;
  /** Throws (or rejects) when the text cannot be turned back (another user's keychain, a damaged value). */
  decode(text: string): string | Promise<string>;
}

/** The codec of the plain 0600 file. */
export const PLAIN_CODEC: SecretCodec = {
  encryption: 'none',
  encode: (value) => value,
  decode: (text) => text,
};
