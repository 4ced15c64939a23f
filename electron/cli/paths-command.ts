// `agent-tray paths`: where Agent Tray keeps its data, logs and PID files.
import { parseCommon } from './options.js';

/** Prints the data directory and what is in it. */
export function pathsCommand(argv: string[], out: (line: string) => void): number {
  const { paths, agentsFile } = parseCommon(argv);
  out(`data   ${paths.root}`);
  out(`agents ${agentsFile}`);
  out(`logs   ${paths.logs}`);
  out(`run    ${paths.run}`);
  return 0;
}
