import { PortSchema, defineFeature } from '../core/feature.ts';
import { PairingConfigSchema } from './config.ts';
import { PAIRING_ROUTE_DOCS, pairingAdminRoutes } from './admin-routes.ts';
import { createPairingService, startPairingServer } from './lan.ts';
import type { HttpsFallback } from './lan-server.ts';
import type { PairingService } from './service.ts';

export interface PairingProvides {
  service: PairingService;
  /** the HTTPS pairing listener; undefined with an external broker (the credentials pairing hands out would not work there) */
  httpsUrl: string | undefined;
  /** the API hands over its router once it runs: the HTTPS listener then serves the API and the dashboard too */
  serveOverHttps(handler: HttpsFallback): void;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    pairing: PairingProvides;
  }
}

/** the pairing window's length, attempt and rate limits (tests shorten them), and the HTTPS listener's port */
export const PairingFeatureConfigSchema = PairingConfigSchema.extend({
  /** the LAN HTTPS listener (agents' pairing exchange); 0 picks a free port */
  httpsPort: PortSchema.default(8443),
}).strict();

/**
 * Pairing (issue 5): the owner opens a window (POST /api/pairing), a device proves the one-time code over the
 * HTTPS listener on the LAN and gets its own MQTT credentials; the registry learns the node and its devices.
 */
export const pairingFeature = () => {
  const closers: (() => unknown)[] = [];
  let fallback: HttpsFallback | undefined;
  const serveOverHttps = (handler: HttpsFallback) => {
    fallback = handler;
  };
  return defineFeature({
    name: 'pairing',
    needs: ['security', 'registry', 'broker'],
    config: {
      key: 'pairing',
      schema: PairingFeatureConfigSchema,
      options: [{ flag: 'https-port', field: 'httpsPort', kind: 'number', value: 'P', help: 'HTTPS pairing listener (default 8443; 0 = any free port)' }],
    },
    async start(ctx, { httpsPort, ...limits }) {
      const security = ctx.get('security');
      const registry = ctx.get('registry');
      const service = createPairingService(security, {
        logger: ctx.logger,
        onNodePaired: (node, devices) => registry.addPairedNode(node, devices),
        clock: ctx.clock,
        config: limits,
      });
      closers.push(() => service.stop());
      if (!ctx.get('broker').embedded) return { service, httpsUrl: undefined, serveOverHttps };
      security.endpoint.httpsPort = httpsPort;
      // refused pairing messages (4xx) are counted in /api/health; their log is rate-limited per address
      const lan = await startPairingServer(security, service, ctx.logger, (app) => {
        app.addHook('onResponse', async (request, reply) => {
          if (reply.statusCode >= 400 && reply.statusCode < 500) ctx.rejections.reject('pairing', request.ip, `${reply.statusCode} ${request.method} ${request.url.slice(0, 200)}`);
        });
      }, () => fallback);
      closers.push(() => lan.close());
      return { service, httpsUrl: lan.httpsUrl, serveOverHttps };
    },
    routes(ctx) {
      const { service } = ctx.get('pairing');
      return { docs: PAIRING_ROUTE_DOCS, plugin: async (app) => app.register(pairingAdminRoutes, { pairing: service }) };
    },
    async stop() {
      fallback = undefined;
      while (closers.length > 0) await closers.pop()!();
    },
  });
};
