// One HTTP request over node:http as given (headers fetch would not send, such as Host) and without
// a pooled connection (an idle keep-alive socket would count as a client of an on-demand agent).
import http from 'node:http';

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Default 127.0.0.1. */
  host?: string;
  /** Give up (reject) after this long without an answer. */
  timeoutMs?: number;
}

/** The status and body of one request to host:port. */
export function rawRequest(port: number, opts: RawRequest): Promise<{ status: number; body: string }> {
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    if (opts.timeoutMs !== undefined) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`${opts.method ?? 'GET'} http://${host}:${port}${opts.path}: no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
