// The stack scenario's agent (bench/lib/stack.mjs): a service that loads for READY_MS, writes
// READY_FILE, prints `ready <name>` and idles until SIGTERM. Started before what it needs (NEEDS
// names its dependency's ready file, which does not exist yet) it says so on stderr and exits 1,
// so a tool that starts out of order fails the run. Its arguments (a run id and a name) only mark
// it, as bench/agent.mjs's do.
import { existsSync, writeFileSync } from 'node:fs';

const [runId = 'norun', name = 'agent'] = process.argv.slice(2);
if (process.env.NEEDS && !existsSync(process.env.NEEDS)) {
  console.error(`${name}: started before its dependency was ready (${process.env.NEEDS} is missing)`);
  process.exit(1);
}
const idle = setInterval(() => {}, 60_000);
setTimeout(() => {
  if (process.env.READY_FILE) writeFileSync(process.env.READY_FILE, `${Date.now()}\n`);
  process.stdout.write(`ready ${name} ${runId}\n`);
}, Number(process.env.READY_MS ?? 0));
process.on('SIGTERM', () => {
  clearInterval(idle);
  process.exit(0);
});
