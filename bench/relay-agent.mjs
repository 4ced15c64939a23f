// The relay benchmark's agent: HTTP on 127.0.0.1:PORT answering every request with a small fixed
// body; prints a line once it listens; exits at once on SIGTERM.
import { createServer } from 'node:http';

const BODY = Buffer.from('ok\n');
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
  res.end(BODY);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
