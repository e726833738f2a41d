import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import { sendError, stewardErrorHandler } from '../http/errors.ts';
import { PairingHttpError } from './errors.ts';
import type { PairingService } from './service.ts';

/** turns any error of the pairing or admin routes into `{error: {code, message}}` with the right status */
export function pairingErrorHandler(error: FastifyError, reply: FastifyReply, log: { error(o: object, m: string): void }): FastifyReply {
  if (error instanceof PairingHttpError) {
    if (error.retryAfterS !== undefined) reply.header('retry-after', String(error.retryAfterS));
    return sendError(reply, error.code, error.message, error.status);
  }
  return stewardErrorHandler(error, reply, log);
}

/**
 * The agents' side of pairing, registered under `/api` on the hub's HTTPS server: POST /api/pair/start and
 * POST /api/pair/finish. No admin token: the code proves the agent (these paths are in PAIRING_PUBLIC_PATHS).
 */
export const pairingRoutes: FastifyPluginAsync<{ service: PairingService }> = async (app, { service }) => {
  app.setErrorHandler((error: FastifyError, request, reply) => pairingErrorHandler(error, reply, request.log));
  app.post('/pair/start', { bodyLimit: 4 * 1024 }, async (request) => service.start(request.body, request.ip));
  app.post('/pair/finish', { bodyLimit: 128 * 1024 }, async (request) => service.finish(request.body, request.ip));
};
