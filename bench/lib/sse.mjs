// A minimal Server-Sent Events client over node:http for Agent Tray's /api/events: calls
// `onEvent(type, data)` for every event with its JSON data parsed.
import http from 'node:http';

/**
 * Connects to `url`; resolves once the response headers arrived.
 * @param {string} url
 * @param {(type: string, data: any) => void} onEvent
 * @returns {Promise<{ close: () => void }>}
 */
export function connectEvents(url, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`event stream: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!data) continue;
          try {
            onEvent(type, JSON.parse(data));
          } catch (err) {
            console.error(`bench: event stream: ${err.message}`);
          }
        }
      });
      res.on('error', () => {});
      resolve({ close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}
