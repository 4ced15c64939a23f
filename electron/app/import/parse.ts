// Reads an imported file into agent definitions, whatever tool it belongs to: detects the format,
// runs a PM2 .js file only with the person's consent, and hands the text to that format's reader.
import path from 'node:path';
import { detectFormat } from './detect.js';
import { codeNeedsConsent, evaluatePm2Code, type EvaluateOptions } from './pm2-code.js';
import { parsePm2 } from './pm2.js';
import { parseProcessCompose } from './process-compose.js';
import { parseProcfile } from './procfile.js';
import type { ParseContext, ParsedFile } from './types.js';

export interface ParseOptions extends ParseContext {
  /** The person agreed that a PM2 .js file may be run to read it. */
  allowCode: boolean;
  evaluate?: Partial<EvaluateOptions>;
}

/** The agents of the file `content`; throws bad-request for unknown formats and Docker Compose, conflict for code without consent. */
export async function parseImportFile(content: string, opts: ParseOptions): Promise<ParsedFile> {
  const detected = detectFormat(opts.fileName, content);
  switch (detected.kind) {
    case 'procfile':
      return parseProcfile(content, opts);
    case 'process-compose':
      return parseProcessCompose(detected.doc, opts);
    case 'pm2':
      return parsePm2(detected.doc, opts);
    case 'pm2-code': {
      const name = path.basename(opts.fileName.replace(/\\/g, '/'));
      if (!opts.allowCode) throw codeNeedsConsent(name);
      const { doc, notes } = await evaluatePm2Code(name, content, { dir: opts.dir, ...opts.evaluate });
      return parsePm2(doc, opts, [`${name} was read by running it in a separate Node process that could read only the file`, ...notes]);
    }
    case 'docker-compose':
      throw new Error('unreachable: detectFormat refuses Docker Compose files');
  }
}
