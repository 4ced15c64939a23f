// What an export makes: files for another tool, and — agent by agent, field by field — what that
// tool cannot express, so that nothing is dropped without saying so.
import type { AgentDefinition } from '../../../shared/agent.js';
import type { ExportLost, ExportResult, ExportTarget } from '../../../shared/export.js';
import type { Settings } from '../../../shared/settings.js';

export type { ExportFile, ExportLost, ExportResult, ExportTarget } from '../../../shared/export.js';

/** Everything an exporter reads: the saved definitions and where they would run. */
export interface ExportInput {
  /** The agents to export, in agents.json order (dependencies already added by selectAgents). */
  agents: readonly AgentDefinition[];
  /** settings.json's `defaults` (restart, health timings, limits for agents that set none). */
  defaults: Settings['defaults'];
  /** The data directory: a relative `cwd` is taken from it, as Agent Tray does. */
  dataDir: string;
  /** The environment the host runs with (PATH, to make a command an absolute path for systemd). */
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** Container images by agent name; the key "*" is the image of every agent not named. */
  images: Record<string, string>;
  /** Finds a program on a PATH; null when it is not there (injected in tests). */
  which: (program: string, searchPath: string) => string | null;
}

/** Collects what one export could not carry over and what the person must know to use it. */
export class ExportReport {
  readonly lost: ExportLost[] = [];
  readonly notes: string[] = [];

  /** Records that `field` of `agent` is not (or only partly) expressed in the target, and why. */
  lose(agent: string, field: string, reason: string): void {
    this.lost.push({ agent, field, reason });
  }

  /** Adds a line for the person (once, however often it is asked for). */
  note(line: string): void {
    if (!this.notes.includes(line)) this.notes.push(line);
  }

  /** The result of the export with these files. */
  result(target: ExportTarget, files: ExportResult['files']): ExportResult {
    return { target, files, lost: this.lost, notes: this.notes };
  }
}
