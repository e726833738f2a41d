import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { parseOrThrow } from '../errors.ts';
import { StewardError } from '@steward/device-adapters';
import { DecisionSchema, confirmationInfo } from '../../conversation/confirmations.ts';

type Params = { Params: { id: string } };

/**
 * Pending confirmations, whatever path made them (sentence, scene, device API, planner): list them, and settle one
 * with `{"decision": "confirm"}` (it runs, and the answer carries what the nodes acknowledged) or `"cancel"`.
 * An unknown id is 404 NOT_FOUND, an expired one 410 EXPIRED, one already settled 409 CONFLICT.
 */
export const confirmationRoutes: FastifyPluginAsync<Pick<ApiDeps, 'pipeline'>> = async (app, { pipeline }) => {
  app.get('/confirmations', async () => ({ confirmations: pipeline.confirmations.list().map(confirmationInfo) }));

  // one record, pending or settled, with what its yes did (also a yes settled at a start after a crash)
  app.get<Params>('/confirmations/:id', async (request) => {
    const found = pipeline.confirmations.describe(request.params.id);
    if (!found) throw new StewardError('NOT_FOUND', `no confirmation ${request.params.id}`);
    return found;
  });

  app.post<Params>('/confirmations/:id', async (request) => {
    const { decision } = parseOrThrow(DecisionSchema, request.body);
    // the admin token was checked before the body was read: the owner said yes or no, from this address
    return pipeline.confirmations.settle(request.params.id, decision, { actor: 'admin', address: request.ip });
  });
};
