// What every format's reader gives the import: agent definitions as the source file describes them
// (names and dependencies still as the file spells them), each with what could not be carried
// over, and notes about the file as a whole.
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import type { ImportFormat, NotCarried } from '../../../shared/import.js';

export type { ImportFormat, NotCarried };

/** One agent as read from the file, before names are made valid and checked against the host's. */
export interface ParsedAgent {
  /** The name in the file. */
  source: string;
  /** The definition; `name` and the keys of `dependsOn` are still the file's names. */
  definition: AgentDefinitionInput;
  notCarried: NotCarried[];
  /** For one of several copies of one process (process-compose replicas, PM2 instances): that process's name; a dependency on it becomes a dependency on every copy. */
  replicaOf?: string;
}

export interface ParsedFile {
  format: ImportFormat;
  agents: ParsedAgent[];
  notes: string[];
  /** Files the source refers to that were not given (an env_file, the .env beside a Procfile). */
  missingFiles: string[];
}

/** What a reader needs besides the file's text. */
export interface ParseContext {
  fileName: string;
  /** The folder the file is in (absolute), when the client said; relative paths are taken from it. */
  dir: string | null;
  /** The platform the agents will run on (the shell a command line needs). */
  platform: NodeJS.Platform;
  /** Files the source refers to, by the name it uses (sent by a client that cannot give `dir`). */
  files: Readonly<Record<string, string>>;
  /** Whether a file exists on this computer (env files beside the source are referred to, not copied). */
  fileExists: (file: string) => boolean;
}
