// The REST routes, generated from the command table: one route per command of shared/commands.ts,
// whose query, body and path parameters become the command's input. No command has code here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COMMAND_NAMES, COMMANDS, type CommandName, type HttpMethod } from '../../shared/commands.js';
import type { AppApi } from '../app/application.js';
import { AgentTrayError } from '../core/errors.js';
import { streamLogSearch, wantsNdjson } from './log-search-route.js';

/** A route's place in the contract: method, path and the input field that takes the whole body, if any. */
interface Route {
  method: HttpMethod;
  path: string;
  body?: string;
}

/**
 * The input of a command from a request: the query, then the body (as the field `bodyField`
 * when the route names one, else its fields), then the path parameters, which win, so that
 * `POST /api/agents/a/start?name=b` can only ever start `a`.
 */
export function commandInput(route: Route, parts: { params: unknown; query: unknown; body: unknown }): Record<string, unknown> {
  let fromBody: Record<string, unknown>;
  if (route.body) {
    if (parts.body === undefined) {
      throw new AgentTrayError('bad-request', `${route.method} ${route.path} needs a JSON body: the ${route.body}`, { hint: 'Send it with Content-Type: application/json' });
    }
    fromBody = { [route.body]: parts.body };
  } else if (parts.body === undefined || parts.body === null) {
    fromBody = {};
  } else if (typeof parts.body === 'object' && !Array.isArray(parts.body)) {
    fromBody = parts.body as Record<string, unknown>;
  } else {
    throw new AgentTrayError('bad-request', `The body of ${route.method} ${route.path} must be a JSON object, not ${Array.isArray(parts.body) ? 'an array' : typeof parts.body}`, {
      hint: 'Send the parameters as a JSON object, or in the query string',
    });
  }
  return { ...(parts.query as object | undefined), ...fromBody, ...(parts.params as object | undefined) };
}

/** A command that can also answer as a stream, when the request asks for one. */
interface StreamedForm {
  wanted(req: FastifyRequest): boolean;
  answer(app: AppApi, input: Record<string, unknown>, req: FastifyRequest, reply: FastifyReply, log: (line: string) => void): Promise<FastifyReply>;
}

/** The commands with a streaming form (Accept: application/x-ndjson). */
const STREAMED: Partial<Record<CommandName, StreamedForm>> = { searchLogs: { wanted: wantsNdjson, answer: streamLogSearch } };

/** Registers one route per command; each validates and runs through `app.dispatch` (streamed where the command has that form and the request asks for it). */
export function registerCommandRoutes(fastify: FastifyInstance, app: AppApi, opts: { log?: (line: string) => void } = {}): void {
  const log = opts.log ?? ((line: string) => console.error(line));
  for (const name of COMMAND_NAMES) {
    const route = COMMANDS[name].http as Route;
    const streamed = STREAMED[name];
    fastify.route({
      method: route.method,
      url: route.path,
      handler: async (req, reply) => {
        const input = commandInput(route, req);
        if (streamed?.wanted(req)) return streamed.answer(app, input, req, reply, log);
        return app.dispatch(name, input);
      },
    });
  }
}
