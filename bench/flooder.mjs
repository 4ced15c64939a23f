// The benchmark's flooding agent: writes SIZE MiB of 100-byte lines to stdout as fast as it can,
// then writes its own run time (from its first write to the end of its last one, in ms) to
// RESULT_FILE and exits. Usage: node flooder.mjs RUN_ID SIZE_MB RESULT_FILE
import { writeFileSync, writeSync } from 'node:fs';

const [runId = 'norun', sizeArg = '50', resultFile] = process.argv.slice(2);
const total = Number(sizeArg) * 1024 * 1024;
const lineLength = 100;
const lines = Math.floor(total / lineLength);
const pad = 'y'.repeat(lineLength);
const batch = 1000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < lines; i += batch) {
  let chunk = '';
  for (let j = i; j < Math.min(lines, i + batch); j++) {
    const head = `${runId} ${String(j).padStart(9, '0')} `;
    chunk += head + pad.slice(0, lineLength - head.length - 1) + '\n';
  }
  let off = 0;
  const buf = Buffer.from(chunk);
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (err) {
      // a non-blocking pipe that is full: try again (Node's stdout pipe can be non-blocking)
      if (err.code !== 'EAGAIN') throw err;
    }
  }
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
if (resultFile) writeFileSync(resultFile, JSON.stringify({ ms, bytes: lines * lineLength }) + '\n');
