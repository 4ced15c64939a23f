// Example agents that fill the editor from the first-run screen. Each must pass the shared schema
// (a test checks it), so that saving one unchanged works.
import type { AgentDefinitionInput } from '../../../shared/agent.js';

export interface ExampleAgent {
  /** The button's text. */
  label: string;
  /** One sentence on what it is. */
  summary: string;
  definition: AgentDefinitionInput;
}

export const EXAMPLE_AGENTS: readonly ExampleAgent[] = [
  {
    label: 'ollama',
    summary: 'A local model server on port 11434; Agent Tray checks that it answers.',
    definition: {
      name: 'ollama',
      description: 'Local model server',
      command: 'ollama',
      args: ['serve'],
      port: 11434,
      restart: { policy: 'on-failure' },
      health: { http: { url: 'http://127.0.0.1:11434/' } },
    },
  },
  {
    label: 'Python server',
    summary: 'A Python agent server (FastAPI under uvicorn) on 127.0.0.1:8000: set the working directory to your project folder before you save.',
    definition: {
      name: 'python-server',
      description: 'Python agent server',
      command: 'python3',
      // an application server, not `http.server`: a file server started in the data directory would serve its api-token
      args: ['-m', 'uvicorn', 'server:app', '--host', '127.0.0.1', '--port', '8000'],
      port: 8000,
      health: { http: { url: 'http://127.0.0.1:8000/' } },
    },
  },
];

/** The command line of a definition as one would type it (for showing, not for running). */
export function commandLine(def: AgentDefinitionInput): string {
  return [def.command, ...(def.args ?? [])].join(' ');
}
