import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { sendError } from '../http/errors.ts';
import { pairingRoutes } from './routes.ts';
import type { PairingService } from './service.ts';

/** where the HTTPS listener hands every request that is not the pairing exchange (the API app's router) */
export type HttpsFallback = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The hub's HTTPS listener for the LAN: the agents' pairing exchange at /api/pair/*, on the hub's own certificate
 * (the one agents pin). `register` may mount more (the API behind installApiAuth) before it listens; `fallback`
 * (once it returns one) takes every other request, untouched, so the API and the dashboard are served over HTTPS
 * by the API's own app, its auth hook included.
 */
export async function startLanServer(opts: {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  service: PairingService;
  logger: Logger;
  register?: (app: FastifyInstance) => void | Promise<void>;
  fallback?: () => HttpsFallback | undefined;
}): Promise<{ app: FastifyInstance; url: string; port: number; close(): Promise<void> }> {
  const app = Fastify({
    https: { cert: opts.certPem, key: opts.keyPem, minVersion: 'TLSv1.2' },
    loggerInstance: opts.logger.child({ component: 'lan-https' }),
    bodyLimit: 128 * 1024,
    // a silent client must not hold a pairing slot for long
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  }) as unknown as FastifyInstance;
  app.setNotFoundHandler((request, reply) => sendError(reply, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, 404));
  const fallback = opts.fallback;
  if (fallback) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/api/pair/')) return;
      const handler = fallback();
      if (!handler) return;
      reply.hijack();
      handler(request.raw, reply.raw);
    });
  }
  await app.register(pairingRoutes, { prefix: '/api', service: opts.service });
  if (opts.register) await opts.register(app);
  await app.listen({ host: opts.host, port: opts.port });
  const port = (app.server.address() as { port: number }).port;
  const url = `https://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  return { app, url, port, close: () => app.close() };
}
