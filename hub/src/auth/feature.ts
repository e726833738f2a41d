import { z } from 'zod';
import { PortSchema, defineFeature } from '../core/feature.ts';
import { SECURITY_ROUTE_DOCS, securityRoutes } from './routes.ts';
import { SESSION_ROUTE_DOCS, sessionRoutes } from './session-routes.ts';
import { createSecurity, type Security } from './security.ts';
import { sensitiveCommandAudit } from './sensitive-commands.ts';

declare module '../core/feature.ts' {
  interface HubFeatures {
    security: Security;
  }
}

export const SecurityConfigSchema = z
  .object({
    /** where the LAN listeners (MQTTS, HTTPS pairing) and the mDNS advertisement live; none = loopback only */
    interfaces: z.array(z.string().min(1).max(15)).default([]),
    /** the LAN MQTT-over-TLS listener into the embedded broker (paired agents); 0 picks a free port */
    mqttsPort: PortSchema.default(8883),
    /** how long a dashboard sign-in (the session cookie) lasts from when it was made */
    sessionTtlMs: z.number().int().min(1000).max(366 * 86_400_000).default(30 * 86_400_000),
  })
  .strict();

/**
 * Credentials, the broker ACL, the admin token, revocation and the audit log (issue 5). Always on in the hub: the
 * embedded broker refuses clients without credentials and the API every mutating call without the token.
 * Once every feature runs, sensitive commands (those a `confirm` rule holds, confirmed by the owner) go to the
 * audit log from the conversation's `executed` signal, whatever path they came from (sentence, scene, device API).
 */
export const securityFeature = () => {
  let security: Security | undefined;
  return defineFeature({
    name: 'security',
    needs: ['store', 'registry'],
    config: {
      key: 'security',
      schema: SecurityConfigSchema,
      options: [
        {
          flag: 'mdns-interface',
          field: 'interfaces',
          kind: 'list',
          value: 'IF',
          help: 'advertise _steward._tcp and serve pairing (HTTPS) and MQTT over TLS on this interface; repeatable. Without it: loopback only, no LAN device can pair',
        },
        { flag: 'mqtts-port', field: 'mqttsPort', kind: 'number', value: 'P', help: 'MQTT-over-TLS listener for paired agents (default 8883; 0 = any free port)' },
        { flag: 'session-ttl-ms', field: 'sessionTtlMs', kind: 'number', value: 'MS', help: 'how long a dashboard sign-in lasts (default 2592000000: 30 days)' },
      ],
    },
    async start(ctx, config) {
      const registry = ctx.get('registry');
      security = await createSecurity({
        dataDir: ctx.dataDir,
        db: ctx.get('store').db,
        logger: ctx.logger,
        rejections: ctx.rejections,
        devices: (id) => registry.device(id),
        interfaces: config.interfaces,
        mqttsPort: config.mqttsPort,
        sessionTtlMs: config.sessionTtlMs,
        now: () => ctx.clock.now(),
      });
      return security;
    },
    ready(ctx) {
      const s = ctx.get('security');
      const audit = sensitiveCommandAudit(s.audit, (err) => ctx.logger.error({ err }, 'audit entry for a sensitive command failed'));
      ctx.find('conversation')?.executed.on(({ result, context }) => audit.conversation(result, context));
    },
    routes(ctx) {
      const s = ctx.get('security');
      return {
        docs: [...SECURITY_ROUTE_DOCS, ...SESSION_ROUTE_DOCS],
        plugin: async (app) => {
          await app.register(sessionRoutes, {
            sessions: s.sessions,
            verifyToken: (t: string) => s.adminTokens.verify(t),
            audit: s.audit,
            httpsUrl: () => ctx.find('pairing')?.httpsUrl,
          });
          await app.register(securityRoutes, {
            revoke: s.revoke,
            credentials: s.credentials,
            audit: s.audit,
            disconnect: (u: string) => s.acl.disconnect(u),
            registry: ctx.get('registry'),
            // the adoption feature, when this hub has it (started by the time a request comes)
            forgetAdopted: () => ctx.find('adoption')?.forgetNode,
          });
        },
      };
    },
    async stop() {
      await security?.stop();
      security = undefined;
    },
  });
};
