import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { RouteDoc } from '../core/feature.ts';
import { parseOrThrow as parse } from '../http/errors.ts';
import { securityRoutes, type SecurityRoutesDeps } from '../auth/routes.ts';
import { pairingErrorHandler } from './routes.ts';
import type { PairingService } from './service.ts';

export interface AdminRoutesDeps extends SecurityRoutesDeps {
  pairing: PairingService;
}

export const OpenPairingSchema = z.object({ windowMs: z.number().int().min(1000).max(3_600_000).optional() }).strict();
const PairingWindowSchema = z.object({ code: z.string(), expiresAt: z.string(), qr: z.string() });

export const PAIRING_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/pairing',
    summary: 'Open a pairing window: a one-time code and the QR payload (steward://pair?...) for one device',
    body: OpenPairingSchema,
    response: PairingWindowSchema,
    errors: [400],
    auth: 'always',
  },
];

/** The owner's pairing window under `/api`, behind installApiAuth (needs the admin token). */
export const pairingAdminRoutes: FastifyPluginAsync<{ pairing: PairingService }> = async (app, deps) => {
  app.setErrorHandler((error: FastifyError, request, reply) => pairingErrorHandler(error, reply, request.log));

  app.post('/pairing', async (request) => {
    const body = parse(OpenPairingSchema, request.body ?? {}, 'body');
    return deps.pairing.open({ actor: 'admin', source: request.ip, ...(body.windowMs ? { windowMs: body.windowMs } : {}) });
  });
  app.get('/pairing', async () => deps.pairing.status());
  app.delete('/pairing', async () => {
    deps.pairing.close('closed_by_owner');
    return deps.pairing.status();
  });
};

/** pairing window, revocation, audit log and MQTT credentials together (createHubSecurity's registerAdminApi) */
export const adminSecurityRoutes: FastifyPluginAsync<AdminRoutesDeps> = async (app, deps) => {
  await app.register(pairingAdminRoutes, { pairing: deps.pairing });
  await app.register(securityRoutes, { revoke: deps.revoke, credentials: deps.credentials, audit: deps.audit, disconnect: deps.disconnect });
};
