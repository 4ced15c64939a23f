// Reads a Server-Sent Events stream with fetch and a small parser, for tests of the event stream.

/** One message of the stream; comments (`: heartbeat`) have `comment` set. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Every message received so far, in order. */
  messages: SseMessage[];
  /** The first message after the previous `next` match that satisfies `match`, or a rejection after `timeoutMs` naming `what`. */
  next: (match: (m: SseMessage) => boolean, timeoutMs: number, what: string) => Promise<SseMessage>;
  /** Resolves when the server ends the stream (or it breaks). */
  ended: Promise<void>;
  /** Disconnects. */
  close: () => void;
}

/** Parses one block (the lines between blank lines) of the stream. */
export function parseBlock(block: string): SseMessage | null {
  const m: SseMessage = {};
  const data: string[] = [];
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (line.startsWith(':')) m.comment = line.slice(1).trim();
    const i = line.indexOf(':');
    const field = i === -1 ? line : line.slice(0, i);
    const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'id') m.id = value;
    else if (field === 'event') m.event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length) m.data = data.join('\n');
  return Object.keys(m).length ? m : null;
}

/** Opens an event stream; rejects if the request fails, resolves with the stream whatever its status. */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  let cursor = 0;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };

  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        const blocks = buffer.split(/\r\n\r\n|\n\n|\r\r/);
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const m = parseBlock(block);
          if (m) messages.push(m);
        }
        notify();
      }
    } catch {
      // aborted or cut: the stream has ended either way
    } finally {
      notify();
    }
  })();
  let done = false;
  void ended.then(() => (done = true));

  const next: SseStream['next'] = (match, timeoutMs, what) =>
    new Promise((resolve, reject) => {
      let settled = false;
      const check = () => {
        if (settled) return;
        for (let i = cursor; i < messages.length; i++) {
          if (match(messages[i] as SseMessage)) {
            cursor = i + 1;
            finish();
            resolve(messages[i] as SseMessage);
            return;
          }
        }
        if (done) {
          finish();
          reject(new Error(`the stream ended before ${what}; got:\n${messages.map((m) => JSON.stringify(m)).join('\n')}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got:\n${messages.map((m) => JSON.stringify(m).slice(0, 300)).join('\n')}`));
      }, timeoutMs);
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
      void ended.then(check);
    });

  return { status: res.status, headers: res.headers, messages, next, ended, close: () => abort.abort() };
}

/** Matches an event of type `type` whose JSON data satisfies `where`. */
export function isEvent(type: string, where: (data: Record<string, unknown>) => boolean = () => true): (m: SseMessage) => boolean {
  return (m) => m.event === type && m.data !== undefined && where(JSON.parse(m.data) as Record<string, unknown>);
}
