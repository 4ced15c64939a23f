// The streaming form of GET /api/agents/:name/logs/search: with `Accept: application/x-ndjson`
// the matches go out one JSON object per line as the search finds them (`{"match":{…}}`), then
// one `{"done":{cursor,scannedBytes,truncated}}` line; the search stops reading files when the
// client goes away, and waits while the client reads slower than it finds. Without that header
// the route answers the plain command, one JSON object, as over IPC.
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppApi } from '../app/application.js';
import { errorReply } from './error-reply.js';

export const NDJSON = 'application/x-ndjson';

/** True when the request's Accept header names NDJSON. */
export function wantsNdjson(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((part) => part.split(';')[0]?.trim().toLowerCase() === NDJSON);
}

/**
 * Runs searchLogs with a sink for its matches. The status line waits for the first match (or the
 * end): an error found before it (a bad pattern, an unknown agent) is the usual JSON error with
 * its status; one after it is a last `{"error":{…}}` line.
 */
export async function streamLogSearch(app: AppApi, input: Record<string, unknown>, req: FastifyRequest, reply: FastifyReply, log: (line: string) => void): Promise<FastifyReply> {
  const gone = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableEnded) gone.abort();
  };
  reply.raw.once('close', onClose);
  const sink: { out: PassThrough | null } = { out: null };
  const opened = (): PassThrough => {
    if (sink.out) return sink.out;
    const out = new PassThrough();
    sink.out = out;
    void reply.code(200).type(`${NDJSON}; charset=utf-8`).send(out);
    return out;
  };
  // a slow client holds the search: the next match waits until what was written has drained
  const writeLine = (value: unknown): void | Promise<void> => {
    const stream = opened();
    if (stream.destroyed || stream.write(`${JSON.stringify(value)}\n`)) return;
    return new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        gone.signal.removeEventListener('abort', done);
        resolve();
      };
      stream.once('drain', done);
      stream.once('close', done);
      gone.signal.addEventListener('abort', done);
    });
  };
  try {
    const result = await app.dispatch('searchLogs', input, { signal: gone.signal, onLogMatch: (match) => writeLine({ match }) });
    const { cursor, scannedBytes, truncated } = result;
    const stream = opened();
    if (!stream.destroyed) stream.end(`${JSON.stringify({ done: { cursor, scannedBytes, truncated } })}\n`);
  } catch (err) {
    const stream = sink.out;
    if (!stream) throw err; // nothing sent yet: the usual error answer, with its status
    const path = req.url.split('?')[0] ?? req.url;
    const r = errorReply(err, { method: req.method, path });
    if (r.unexpected) log(`agent-tray serve: internal error on ${req.method} ${path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (!stream.destroyed) stream.end(`${JSON.stringify(r.body)}\n`);
  } finally {
    reply.raw.off('close', onClose);
  }
  return reply;
}
