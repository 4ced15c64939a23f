// The text of the stand-in agents' output: line n of agent i is always the same line (so the
// history can be served again without being kept), in the mix a person's agents print: request
// logs, model and tool chatter, warnings, ANSI-coloured levels, the odd long line and stderr
// tracebacks. Pure.

const ESC = '\u001b[';
const ROUTES = ['/v1/chat/completions', '/v1/embeddings', '/api/generate', '/health', '/mcp/tools/call', '/v1/models'];
const TOOLS = ['search_web', 'read_file', 'run_sql', 'fetch_url', 'list_dir', 'summarize'];
const MODELS = ['llama-3.1-8b-instruct.Q4_K_M', 'qwen2.5-coder-7b.Q5_K_M', 'nomic-embed-text-v1.5', 'mistral-7b-instruct-v0.3.Q4_0'];
const WORDS = 'the agent read a page of the plan and wrote its next step into the scratch file before calling the tool again with a narrower query'.split(' ');

/** A 32-bit mix of two integers (deterministic). */
function mix(a, b) {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be59b, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Line `n` of agent `i`: its stream and its text. @param {number} i @param {number} n */
export function logText(i, n) {
  const h = mix(i, n);
  const pick = (list, shift) => list[(h >>> shift) % list.length];
  const num = (shift, max) => (h >>> shift) % max;
  const id = (h >>> 0).toString(16).padStart(8, '0');
  const kind = h % 100;
  if (kind < 45) {
    return { stream: 'stdout', text: `${ESC}32mINFO${ESC}0m  ${pick(['GET', 'POST'], 3)} ${pick(ROUTES, 5)} 200 in ${num(8, 900) + 3} ms (tokens ${num(11, 2048)}/${num(13, 4096)}) req=${id} line=${n}` };
  }
  if (kind < 65) {
    return { stream: 'stdout', text: `step ${n}: tool ${pick(TOOLS, 4)} answered ${num(9, 90_000)} bytes in ${num(14, 5000)} ms; ${WORDS.slice(0, 6 + num(6, 14)).join(' ')}` };
  }
  if (kind < 75) {
    return { stream: 'stdout', text: `${ESC}36mDEBUG${ESC}0m ${pick(MODELS, 7)}: kv cache ${num(10, 100)}% used, ${num(4, 64)} slots, batch ${num(12, 512)}, prompt eval ${num(15, 2000) / 10} tok/s` };
  }
  if (kind < 85) {
    return { stream: 'stdout', text: `${ESC}33mWARN${ESC}0m  slow tool call: ${pick(TOOLS, 6)} took ${num(8, 9000) + 3000} ms (budget 3000 ms), retrying with a shorter context (req=${id})` };
  }
  if (kind < 90) {
    // the odd long line: a JSON payload echoed into the log
    const fields = Array.from({ length: 12 }, (_, k) => `"field_${k}":"${WORDS[(num(k, 32) + k) % WORDS.length]}-${num(k + 3, 100_000)}"`).join(',');
    return { stream: 'stdout', text: `payload ${id}: {${fields}}` };
  }
  if (kind < 96) {
    return { stream: 'stderr', text: `${ESC}31mERROR${ESC}0m ${pick(TOOLS, 5)} failed: ConnectionResetError: [Errno 104] Connection reset by peer (attempt ${num(9, 5) + 1} of 5, line ${n})` };
  }
  return { stream: 'stderr', text: `  File "/home/me/agents/agent_${i}/runner.py", line ${num(7, 900) + 1}, in ${pick(['run_step', 'call_tool', 'plan', 'reflect'], 11)}` };
}
