// The benchmark's small agent: prints a line at once and then one a second; on SIGTERM it exits
// 50 ms later. Its arguments (a run id and a name) only mark it, so that the benchmark can count
// the agent processes of one run in /proc; the environment variable AGENT_TRAY_BENCH does too.
const [runId = 'norun', name = 'agent'] = process.argv.slice(2);
let n = 0;
const tick = () => {
  process.stdout.write(`${name} ${runId} line ${n++} at ${Date.now()}\n`);
};
tick();
const timer = setInterval(tick, 1000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  setTimeout(() => process.exit(0), 50);
});
