// For the export tests: definitions with the awkward parts, the export run over them, and what the
// real tools read back from the files (systemd-analyze's dump of the units it loaded; the text
// process-compose's loader hands its YAML parser).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { exportAgents, findProgram, type ExportRequest } from '../../electron/app/export/index.js';
import { AgentDefinitionSchema, type AgentDefinition, type AgentDefinitionInput } from '../../shared/agent.js';
import type { ExportResult } from '../../shared/export.js';
import type { Settings } from '../../shared/settings.js';

/** Words that a careless quoting breaks: spaces, quotes, $, %, globs, separators, backslashes, newlines, unicode. */
export const TRICKY_WORDS = ['plain', 'two words', "it's", 'say "hi"', '$HOME', '${PATH}', '$(id)', '`id`', '100%', '%h', '*.txt', ';', '&&', '|', 'a\\b', 'line\nbreak', 'tab\there', '', '-', '--flag=x y', '{{.Var}}', 'ünïcødé', '!bang', '#hash', '~', "''", '"'];

/** Definitions as agents.json holds them (defaults applied). */
export function definitions(agents: AgentDefinitionInput[]): AgentDefinition[] {
  return agents.map((a) => AgentDefinitionSchema.parse(a));
}

/** Runs an export over `agents` as the host would (data directory /srv/agent-tray, this machine's PATH). */
export function runExport(request: ExportRequest, agents: AgentDefinitionInput[], opts: { defaults?: Settings['defaults']; dataDir?: string } = {}): ExportResult {
  return exportAgents(request, { agents: definitions(agents), defaults: opts.defaults ?? {}, dataDir: opts.dataDir ?? '/srv/agent-tray', env: process.env, platform: 'linux', which: findProgram });
}

/** The lost items of one agent as `field: reason` lines. */
export function lostOf(result: ExportResult, agent: string): Map<string, string> {
  return new Map(result.lost.filter((l) => l.agent === agent).map((l) => [l.field, l.reason]));
}

/** One file of a result by its path (fails the test when missing). */
export function fileOf(result: ExportResult, file: string): string {
  const found = result.files.find((f) => f.path === file);
  if (!found) throw new Error(`no file ${file} in ${result.files.map((f) => f.path).join(', ')}`);
  return found.content;
}

/**
 * The document process-compose reads from `text`: its loader turns "$$" into "$" and substitutes
 * every other $VARIABLE before parsing (src/loader/loader.go); an export must leave nothing to
 * substitute. Fails when a lone "$" remains.
 */
export function processComposeDocument(text: string): Record<string, unknown> {
  const marker = '\u0000';
  const escaped = text.replaceAll('$$', marker);
  const lone = escaped.indexOf('$');
  if (lone !== -1) throw new Error(`a "$" process-compose would substitute: …${text.slice(Math.max(0, lone - 40), lone + 40)}…`);
  return parse(escaped.replaceAll(marker, '$')) as Record<string, unknown>;
}

/** A string as process-compose's Go templates render it, for the one construct an export writes: {{"{{"}} prints "{{". */
export function renderedTemplate(text: string): string {
  if (/\{\{(?!"\{\{"\}\})/.test(text.replaceAll('{{"{{"}}', ''))) throw new Error(`a template other than {{"{{"}} in ${text}`);
  return text.replaceAll('{{"{{"}}', '{{');
}

/** Whether systemd-analyze can verify user units here (it needs a runtime directory, which the tests make). */
export const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p)) ?? null;

export interface SystemdVerify {
  code: number;
  /** What verify reported (warnings and errors), without the debug dump. */
  problems: string[];
  /** Each unit's dump: setting name → values, in order (Command Line: the parsed command). */
  units: Map<string, Map<string, string[]>>;
}

/** Writes the files into a folder and runs `systemd-analyze verify --user` on the units, with the debug dump of what it loaded. */
export async function systemdVerify(files: ExportResult['files']): Promise<SystemdVerify> {
  if (!SYSTEMD_ANALYZE) throw new Error('systemd-analyze is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'agent-tray-units-'));
  const runtime = mkdtempSync(path.join(tmpdir(), 'agent-tray-xdg-'));
  try {
    for (const f of files) writeFileSync(path.join(dir, f.path), f.content);
    const units = files.filter((f) => /\.(service|target)$/.test(f.path)).map((f) => path.join(dir, f.path));
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(SYSTEMD_ANALYZE, ['verify', '--user', '--man=no', ...units], { env: { ...process.env, XDG_RUNTIME_DIR: runtime, SYSTEMD_LOG_LEVEL: 'debug', SYSTEMD_LOG_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    return { code, ...parseVerifyOutput(output, dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(runtime, { recursive: true, force: true });
  }
}

/** Splits verify's output into the lines that name a problem with our files and the dump of each of our units. */
function parseVerifyOutput(output: string, dir: string): Omit<SystemdVerify, 'code'> {
  const units = new Map<string, Map<string, string[]>>();
  const problems: string[] = [];
  let current: Map<string, string[]> | null = null;
  for (const line of output.split('\n')) {
    const head = /^\t-> Unit (\S+):$/.exec(line);
    if (head) {
      current = head[1]!.startsWith('agent-tray-') ? new Map() : null;
      if (current) units.set(head[1]!, current);
      continue;
    }
    const setting = /^\t\t\t?([A-Za-z ]+): ?(.*)$/.exec(line);
    if (current && setting) {
      current.set(setting[1]!, [...(current.get(setting[1]!) ?? []), setting[2]!]);
      continue;
    }
    if (!line.startsWith('\t') && (line.includes(dir) || /agent-tray-[^ ]*\.(service|target)/.test(line)) && !/^(Loaded|Successfully|About to|Found|Activating|Deactivated|Unit .* (is|has) )/.test(line) && /ignor|invalid|fail|error|unknown|not |bad/i.test(line)) {
      problems.push(line);
    }
  }
  return { problems, units };
}

/** The words of a "Command Line:" of systemd's dump (its own quoting), with the "$$" systemd turns into "$" when it runs it. */
export function systemdCommandWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    let word = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\') {
          const next = line[i + 1]!;
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$', "'": "'" };
          if (next === 'x') {
            word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          word += simple[next] ?? next;
          i += 2;
          continue;
        }
        word += line[i];
        i++;
      }
      i++;
    } else {
      while (i < line.length && line[i] !== ' ') word += line[i++];
    }
    words.push(word.replaceAll('$$', '$'));
  }
  return words;
}
