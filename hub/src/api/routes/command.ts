import type { FastifyPluginAsync } from 'fastify';
import { StewardError, toErrorBody } from '@steward/device-adapters';
import { CommandTextRequestSchema, CommandTextResponseSchema, type CommandTextResponse } from '../../conversation/contract.ts';
import type { ApiDeps } from '../deps.ts';
import { parseOrThrow } from '../errors.ts';

function checked(response: CommandTextResponse, log: { error: (o: object, m: string) => void }): CommandTextResponse {
  const r = CommandTextResponseSchema.safeParse(response);
  if (!r.success) {
    log.error({ issues: r.error.issues }, 'command response failed its schema');
    throw new StewardError('INTERNAL', 'the hub produced an invalid response');
  }
  return r.data;
}

/**
 * POST /api/command: text in, reply and acknowledged actions out, through the rules or the planner (the router
 * decides; without one, the conversation pipeline). With `Accept: text/event-stream` the planner's progress is
 * streamed as server-sent events (`step`, `tool_call`, `tool_result`, then `reply` with the whole response).
 */
export const commandRoutes: FastifyPluginAsync<Pick<ApiDeps, 'pipeline' | 'router'>> = async (app, { pipeline, router }) => {
  app.post('/command', async (request, reply) => {
    const body = parseOrThrow(CommandTextRequestSchema, request.body);
    // a client that goes away cancels the planner
    const gone = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    const sse = (request.headers.accept ?? '').includes('text/event-stream');
    if (!sse) {
      const response = router ? await router.handle(body, { signal: gone.signal }) : await pipeline.handle(body);
      return checked(response, request.log);
    }
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (event: string, data: unknown) => {
      if (!out.destroyed) out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    try {
      const response = router
        ? await router.handle(body, { signal: gone.signal, onEvent: (e) => send(e.type, e) })
        : await pipeline.handle(body);
      send('reply', checked(response, request.log));
    } catch (e) {
      request.log.warn({ err: e }, 'command failed while streaming');
      send('error', { error: toErrorBody(e) });
    }
    out.end();
  });
};
