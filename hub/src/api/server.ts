import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { isStewardError } from '@steward/device-adapters';
import type { RouteDoc } from '../core/feature.ts';
import { HTTP_STATUS, sendError } from '../http/errors.ts';
import type { ApiDeps } from './deps.ts';
import { API_ROUTE_DOCS } from './openapi.ts';
import { commandRoutes } from './routes/command.ts';
import { deviceRoutes } from './routes/devices.ts';
import { confirmationRoutes } from './routes/confirmations.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { schemaRoutes } from './routes/schema.ts';
import { scheduleRoutes } from './routes/schedules.ts';

export interface ApiOptions extends ApiDeps {
  logger: Logger;
  bodyLimitBytes: number;
}

/** The API feature's own routes under its prefix: command, devices, confirmations, nodes and health. */
export const apiRoutes: FastifyPluginAsync<ApiDeps> = async (app, opts) => {
  await app.register(commandRoutes, { pipeline: opts.pipeline, ...(opts.router ? { router: opts.router } : {}) });
  await app.register(deviceRoutes, { registry: opts.registry, gateway: opts.gateway, pipeline: opts.pipeline });
  await app.register(confirmationRoutes, { pipeline: opts.pipeline });
  await app.register(nodeRoutes, { registry: opts.registry, mqttStats: opts.mqttStats, ...(opts.rejections ? { rejections: opts.rejections } : {}), ...(opts.pairedNodes ? { pairedNodes: opts.pairedNodes } : {}) });
  if (opts.schedules) await app.register(scheduleRoutes, { schedules: opts.schedules });
};

/** Fastify errors raised before a handler runs (body parsing), in our `{error: {code, message}}` shape. */
function frameworkError(e: FastifyError): { status: number; code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE'; message: string } | undefined {
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'BAD_REQUEST', message: 'body is not valid JSON (the content-type says application/json)' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'BAD_REQUEST', message: 'body is empty; send a JSON object' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: e.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'BAD_REQUEST', message: 'send the body as application/json' };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: e.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message: e.message };
  }
  return undefined;
}

/** A fastify app with the API's error shape `{error: {code, message}}` and body limit, no routes yet. */
export function createApiApp(opts: { logger: Logger; bodyLimitBytes: number }): FastifyInstance {
  // typed as the plain instance: the security layer's plugins (bearer auth, admin routes) take that type
  const app = Fastify({
    loggerInstance: opts.logger.child({ component: 'api' }),
    bodyLimit: opts.bodyLimitBytes,
    // one line per request, written below: fastify's own are two info lines for every GET
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;

  // reads (dashboards poll them) at debug; changes at info
  app.addHook('onResponse', async (request, reply) => {
    const level = request.method === 'GET' || request.method === 'HEAD' ? 'debug' : 'info';
    request.log[level]({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isStewardError(error)) {
      const status = HTTP_STATUS[error.code];
      if (status >= 500) request.log.warn({ code: error.code }, error.message);
      return sendError(reply, error.code, error.message, status);
    }
    const known = frameworkError(error);
    if (known) return sendError(reply, known.code, known.message, known.status);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'INTERNAL', 'internal error; the hub log has the details', 500);
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, 404));

  return app;
}

/** The API's own routes and GET /api/schema on a new app (the hub serves every feature's routes instead). */
export function buildApi(opts: ApiOptions, docs: readonly RouteDoc[] = API_ROUTE_DOCS): FastifyInstance {
  const app = createApiApp(opts);
  app.register(apiRoutes, { prefix: '/api', ...opts });
  app.register(schemaRoutes, { prefix: '/api', docs });
  return app;
}

export type Api = ReturnType<typeof buildApi>;
