import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { NODE_ID, StewardError } from '@steward/device-adapters';
import { AUDIT_KINDS, type AuditLog } from '../auth/audit-log.ts';
import { HUB_USERNAME, USERNAME, type CredentialStore } from '../auth/credential-store.ts';
import { pairingErrorHandler } from './routes.ts';
import type { RevocationReport } from './revocation.ts';
import type { PairingService } from './service.ts';

export interface AdminRoutesDeps {
  pairing: PairingService;
  revoke: (nodeId: string, ctx: { actor: string; source?: string }) => Promise<RevocationReport>;
  credentials: CredentialStore;
  audit: AuditLog;
  disconnect: (username: string) => Promise<number>;
}

export const OpenPairingSchema = z.object({ windowMs: z.number().int().min(1000).max(3_600_000).optional() }).strict();
export const NewCredentialsSchema = z
  .object({ role: z.enum(['controller', 'admin']), username: z.string().regex(USERNAME, 'a-z, 0-9, _ . - (at most 64)') })
  .strict();
const AuditQuerySchema = z.object({
  kind: z.enum(AUDIT_KINDS).optional(),
  subject: z.string().max(120).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new StewardError('BAD_REQUEST', r.error.issues.map((i) => `${[what, ...i.path.map(String)].join('.')}: ${i.message}`).join('; '));
}

/**
 * The owner's security endpoints, registered under `/api` behind installApiAuth (every one needs the admin token):
 * pairing window, revocation, audit log, MQTT credentials for controllers and admins.
 */
export const adminSecurityRoutes: FastifyPluginAsync<AdminRoutesDeps> = async (app, deps) => {
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

  app.post<{ Params: { id: string } }>('/nodes/:id/revoke', async (request) => {
    if (!NODE_ID.test(request.params.id)) throw new StewardError('BAD_REQUEST', `not a node id: ${request.params.id}`);
    return deps.revoke(request.params.id, { actor: 'admin', source: request.ip });
  });

  app.get('/audit', async (request) => ({ entries: deps.audit.list(parse(AuditQuerySchema, request.query, 'query')) }));

  app.post('/mqtt-credentials', async (request) => {
    const body = parse(NewCredentialsSchema, request.body, 'body');
    if (body.username === HUB_USERNAME || NODE_ID.test(body.username) && deps.credentials.get(body.username)?.role === 'node') {
      throw new StewardError('CONFLICT', `${body.username} is taken by the hub or a node`);
    }
    const issued = await deps.credentials.issue({ username: body.username, role: body.role, source: 'admin' });
    deps.audit.record({ kind: 'credentials.issued', actor: 'admin', subject: body.username, source: request.ip, detail: { role: body.role } });
    return { username: issued.username, password: issued.password, role: issued.role };
  });
  app.get('/mqtt-credentials', async () => ({ credentials: deps.credentials.list() }));
  app.delete<{ Params: { username: string } }>('/mqtt-credentials/:username', async (request) => {
    const { username } = request.params;
    const record = deps.credentials.get(username);
    if (!record) throw new StewardError('NOT_FOUND', `no MQTT credentials ${username}`);
    if (record.role === 'node') throw new StewardError('CONFLICT', `${username} is a node: revoke it with POST /api/nodes/${username}/revoke`);
    if (record.role === 'hub') throw new StewardError('CONFLICT', 'the hub\'s own credentials cannot be deleted');
    deps.credentials.delete(username);
    const sessionsClosed = await deps.disconnect(username);
    deps.audit.record({ kind: 'credentials.deleted', actor: 'admin', subject: username, source: request.ip, detail: { role: record.role, sessionsClosed } });
    return { deleted: username, sessionsClosed };
  });
};
