// An agent's own way of being asked to stop (stop.stdin or stop.command), before any signal.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_STOP_TIMEOUT_MS, type AgentDefinition } from '../../shared/agent.js';
import { mergeEnv } from './platform/spawn-options.js';

/** The request as a function to call, or undefined when the agent has none (a signal is then the first request). */
export function askToStop(def: AgentDefinition, child: ChildProcess | null, ctx: { root: string; env: Record<string, string | undefined>; platform: NodeJS.Platform; own?: Record<string, string> | null }): (() => void) | undefined {
  const s = def.stop;
  if (s?.stdin !== undefined && child?.stdin) {
    const stdin = child.stdin;
    return () => {
      stdin.on('error', () => undefined);
      stdin.write(`${s.stdin}\n`);
    };
  }
  const command = s?.command;
  if (command && command.length > 0) {
    const [program, ...args] = command as [string, ...string[]];
    return () => {
      const helper = spawn(program, args, {
        cwd: path.resolve(ctx.root, def.cwd ?? '.'),
        env: mergeEnv(ctx.env, ctx.own ?? def.env, ctx.platform), // `own`: the variables the run started with (env files, secrets)
        stdio: 'ignore',
        windowsHide: true,
      });
      helper.on('error', () => undefined);
      const timer = setTimeout(() => helper.kill('SIGKILL'), (s.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS) + 1_000);
      timer.unref();
      helper.once('exit', () => clearTimeout(timer));
    };
  }
  return undefined;
}
