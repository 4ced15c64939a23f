// A soak agent that crashes: prints a line every 200 ms and exits with code 1 after a random
// time between LIFE_MIN_MS (2000) and LIFE_MAX_MS (5000); exits 0 on SIGTERM. Under a restart
// policy it keeps going round running -> backoff -> running.
const min = Number(process.env.LIFE_MIN_MS ?? 2000);
const max = Number(process.env.LIFE_MAX_MS ?? 5000);
const life = min + Math.random() * Math.max(0, max - min);
let n = 0;
console.log(`ready pid=${process.pid}, crashing in ${Math.round(life)} ms`);
setInterval(() => console.log(`tick ${++n}`), 200);
setTimeout(() => {
  console.error('flaky: crashing on purpose');
  process.exit(1);
}, life);
process.on('SIGTERM', () => process.exit(0));
