// Which tool a file belongs to, from its name first and its content second: a Procfile, a
// process-compose.yaml, a PM2 ecosystem file (JSON, YAML or JavaScript), or a Docker Compose file
// (recognised only to say why it cannot be imported). The structured ones come back parsed.
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { AgentTrayError } from '../../core/errors.js';

export type DetectedFile =
  | { kind: 'procfile' }
  | { kind: 'process-compose'; doc: Record<string, unknown> }
  | { kind: 'pm2'; syntax: 'json' | 'yaml'; doc: unknown }
  | { kind: 'pm2-code' }
  | { kind: 'docker-compose' };

export const SUPPORTED_FORMATS =
  'a Procfile (foreman, honcho, overmind), a process-compose.yaml, or a PM2 ecosystem file (ecosystem.config.js/.cjs/.mjs, .json, .yaml)';

/** A plain object (a YAML or JSON mapping). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A line of a Procfile: `name: command`. */
export const PROCFILE_LINE = /^([A-Za-z0-9_-]+):\s*(.*)$/;

/** True when every line that is not blank or a comment reads `name: command`, and there is one. */
function looksLikeProcfile(content: string): boolean {
  const lines = content.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return lines.length > 0 && lines.every((l) => PROCFILE_LINE.test(l) && l.split(':').slice(1).join(':').trim() !== '');
}

/** The error for a file that is not one of the supported formats. */
function unknownFormat(fileName: string, why: string): AgentTrayError {
  return new AgentTrayError('bad-request', `Could not tell what kind of file "${fileName}" is: ${why}`, {
    hint: `Agent Tray imports ${SUPPORTED_FORMATS}; keep the tool's usual file name so it is recognised`,
    details: { fileName },
  });
}

/** The refusal of a Docker Compose file, naming what it is and what can be imported. */
export function dockerComposeRefusal(fileName: string): AgentTrayError {
  return new AgentTrayError(
    'bad-request',
    `"${fileName}" is a Docker Compose file: its services are containers (built or pulled images), not commands that run on this computer, so there are no agents to import from it`,
    {
      hint: `Agent Tray imports ${SUPPORTED_FORMATS}. To keep the containers running from Agent Tray, add one agent that runs \`docker compose up\` in that folder`,
      details: { fileName, format: 'docker-compose' },
    },
  );
}

/** Parses YAML text; a syntax error is a bad-request naming the file, line and column. */
function yamlOf(fileName: string, content: string): unknown {
  try {
    return parseYaml(content, { uniqueKeys: false });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      throw new AgentTrayError('bad-request', `"${fileName}" is not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ''}: ${err.message.split('\n')[0]}`, {
        hint: 'Fix the file (the tool it belongs to would refuse it too), then import it again',
        details: { fileName, ...(at ? { line: at.line, column: at.col } : {}) },
      });
    }
    throw err;
  }
}

/** Parses JSON text; a syntax error is a bad-request naming the file. */
function jsonOf(fileName: string, content: string): unknown {
  try {
    return JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AgentTrayError('bad-request', `"${fileName}" is not valid JSON: ${(err as Error).message}`, { hint: 'Fix the file, then import it again', details: { fileName } });
  }
}

/** The kind of a parsed YAML or JSON document by its top-level keys, or null. */
function kindOfDocument(doc: unknown, syntax: 'json' | 'yaml'): DetectedFile | null {
  if (Array.isArray(doc)) return doc.every(isRecord) && doc.length > 0 ? { kind: 'pm2', syntax, doc } : null;
  if (!isRecord(doc)) return null;
  if (isRecord(doc.processes)) return { kind: 'process-compose', doc };
  if (Array.isArray(doc.apps) || isRecord(doc.apps)) return { kind: 'pm2', syntax, doc };
  if (isRecord(doc.services)) return { kind: 'docker-compose' };
  return null;
}

/** Detects the format of `content`, named `fileName`; throws bad-request for files of no supported format (Docker Compose included, with the reason). */
export function detectFormat(fileName: string, content: string): DetectedFile {
  const base = path.basename(fileName.replace(/\\/g, '/')).toLowerCase();
  const detected = detectByName(base, fileName, content) ?? detectByContent(fileName, content);
  if (detected.kind === 'docker-compose') throw dockerComposeRefusal(path.basename(fileName));
  return detected;
}

/** The format the name says, confirmed by the content where the name alone is not enough; null when the name says nothing. */
function detectByName(base: string, fileName: string, content: string): DetectedFile | null {
  if (base === 'procfile' || base.startsWith('procfile.')) return { kind: 'procfile' };
  if (/\.(c|m)?js$/.test(base)) return { kind: 'pm2-code' };
  if (base.endsWith('.json')) {
    const kind = kindOfDocument(jsonOf(fileName, content), 'json');
    if (!kind) throw unknownFormat(fileName, 'it is JSON, but has no "apps" list as a PM2 ecosystem file does');
    return kind;
  }
  if (/\.ya?ml$/.test(base)) {
    const kind = kindOfDocument(yamlOf(fileName, content), 'yaml');
    if (kind) return kind;
    if (/^(docker-)?compose\b/.test(base)) return { kind: 'docker-compose' };
    throw unknownFormat(fileName, 'it is YAML, but has neither "processes" (process-compose) nor "apps" (PM2)');
  }
  return null;
}

/** The format the content says, for a file whose name is not a tool's usual one. */
function detectByContent(fileName: string, content: string): DetectedFile {
  const text = content.trim();
  if (text === '') throw unknownFormat(fileName, 'it is empty');
  if (/\bmodule\.exports\b|\bexport\s+default\b/.test(text)) return { kind: 'pm2-code' };
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const kind = kindOfDocument(JSON.parse(text), 'json');
      if (kind) return kind;
    } catch {
      // not JSON: YAML flow syntax or something else
    }
  }
  let doc: unknown = null;
  try {
    doc = parseYaml(content, { uniqueKeys: false });
  } catch {
    // not YAML either
  }
  const kind = kindOfDocument(doc, 'yaml');
  if (kind) return kind;
  if (looksLikeProcfile(content)) return { kind: 'procfile' };
  throw unknownFormat(fileName, 'its content is none of them');
}
