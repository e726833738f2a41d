import type { FastifyPluginAsync } from 'fastify';
import { StewardError } from '@steward/device-adapters';
import { CommandTextRequestSchema, CommandTextResponseSchema } from '../../conversation/contract.ts';
import type { ApiDeps } from '../deps.ts';
import { parseOrThrow } from '../errors.ts';

/** POST /api/command: text in, reply and acknowledged actions out, through the conversation pipeline. */
export const commandRoutes: FastifyPluginAsync<Pick<ApiDeps, 'pipeline'>> = async (app, { pipeline }) => {
  app.post('/command', async (request) => {
    const body = parseOrThrow(CommandTextRequestSchema, request.body);
    const response = await pipeline.handle(body);
    const checked = CommandTextResponseSchema.safeParse(response);
    if (!checked.success) {
      request.log.error({ issues: checked.error.issues }, 'pipeline response failed its schema');
      throw new StewardError('INTERNAL', 'the hub produced an invalid response');
    }
    return checked.data;
  });
};
