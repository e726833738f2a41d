import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PortSchema, defineFeature } from '../core/feature.ts';
import { isLoopbackHost } from '../http/access.ts';
import { API_ROUTE_DOCS } from './openapi.ts';
import { schemaRoutes } from './routes/schema.ts';
import { apiRoutes, createApiApp } from './server.ts';

export interface ApiProvides {
  app: FastifyInstance;
  /** `http://127.0.0.1:PORT` once every feature is ready and the API listens */
  url(): string;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    api: ApiProvides;
  }
}

export const ApiConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port; read the real one from `hub.httpUrl` */
    port: PortSchema.default(8080),
    /** HTTP bodies above this get 413 */
    bodyLimitBytes: z.number().int().min(256).default(16 * 1024),
  })
  .strict();

/** the HTTPS listener's port when a browser elsewhere can reach it (it binds a LAN address), else undefined */
function httpsPortBeyondLoopback(httpsUrl: string | undefined): number | undefined {
  if (!httpsUrl) return undefined;
  const u = new URL(httpsUrl);
  return isLoopbackHost(u.hostname.replace(/^\[|\]$/g, '')) ? undefined : Number(u.port);
}

/**
 * The HTTP API (fastify). It serves every feature's routes (`HubFeature.routes`, each an encapsulated plugin) and
 * GET /api/schema generated from their zod schemas; with the security feature, bearer auth comes before any route.
 * It listens in `ready`, once every feature started.
 */
export const apiFeature = () => {
  let app: FastifyInstance | undefined;
  let url: string | undefined;
  let port = 0;
  let host = '127.0.0.1';
  return defineFeature({
    name: 'api',
    needs: ['registry', 'gateway', 'conversation', 'transport'],
    uses: ['security', 'planner'],
    config: {
      key: 'api',
      schema: ApiConfigSchema,
      options: [
        { flag: 'http-host', field: 'host', kind: 'string', value: 'HOST', help: 'HTTP API address (default 127.0.0.1)' },
        { flag: 'http-port', field: 'port', kind: 'number', value: 'P', help: 'HTTP API port (default 8080; 0 = any free port)' },
      ],
    },
    start(ctx, config) {
      ({ host, port } = config);
      app = createApiApp({ logger: ctx.logger, bodyLimitBytes: config.bodyLimitBytes });
      // every refused request (4xx: bad body, path, query; a 401 is the auth hook's) is counted, its log rate-limited per address
      app.addHook('onResponse', async (request, reply) => {
        if (reply.statusCode >= 400 && reply.statusCode < 500 && reply.statusCode !== 404 && reply.statusCode !== 401) {
          ctx.rejections.reject('http-request', request.ip, `${reply.statusCode} ${request.method} ${request.routeOptions.url ?? request.url.slice(0, 200)}`);
        }
      });
      // beyond loopback the dashboard (and its cookie) is served over HTTPS only: the pairing feature's listener
      const httpsOnly = isLoopbackHost(host) ? undefined : () => httpsPortBeyondLoopback(ctx.find('pairing')?.httpsUrl);
      ctx.find('security')?.installAuth(app, httpsOnly ? { httpsOnly } : {});
      const a = app;
      return { app: a, url: () => url ?? `http://${host}:${port}` };
    },
    routes(ctx) {
      const registry = ctx.get('registry');
      const transport = ctx.get('transport');
      const security = ctx.find('security');
      // rules or planner per request, when the hub has the planner feature
      const planner = ctx.find('planner');
      return {
        docs: API_ROUTE_DOCS,
        plugin: async (instance) => {
          await instance.register(apiRoutes, {
            registry,
            gateway: ctx.get('gateway'),
            pipeline: ctx.get('conversation').pipeline,
            ...(planner ? { router: planner.router } : {}),
            mqttStats: transport.stats,
            rejections: () => ctx.rejections.counts(),
            ...(security ? { pairedNodes: () => security.credentials.pairedNodeIds() } : {}),
            schedules: (limit) => ctx.get('conversation').pipeline.schedules.list(limit),
          });
        },
      };
    },
    async ready(ctx) {
      const routes = ctx.routes();
      for (const r of routes) await app!.register(r.plugin, { prefix: r.prefix ?? '/api' });
      await app!.register(schemaRoutes, { prefix: '/api', docs: routes.flatMap((r) => r.docs) });
      const address = await app!.listen({ host, port });
      url = address.replace('://0.0.0.0:', '://127.0.0.1:');
      // the HTTPS listener serves the same app (API, dashboard) with the same auth hook
      const served = app!;
      ctx.find('pairing')?.serveOverHttps((req, res) => served.routing(req, res));
    },
    async stop() {
      await app?.close();
      app = undefined;
      url = undefined;
    },
  });
};
