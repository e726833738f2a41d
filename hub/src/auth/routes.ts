import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { NODE_ID, StewardError } from '@steward/device-adapters';
import type { RouteDoc } from '../core/feature.ts';
import { parseOrThrow as parse, stewardErrorHandler } from '../http/errors.ts';
import { AUDIT_KINDS, AuditEventSchema, type AuditLog } from './audit-log.ts';
import { HUB_USERNAME, USERNAME, type CredentialStore } from './credential-store.ts';
import { DeviceRemovalSchema, NodeRemovalReportSchema, removeDevice, removeNode, type RemovableRegistry, type RemovalDeps } from './removal.ts';
import { RevocationReportSchema, type RevocationReport } from './revocation.ts';

export interface SecurityRoutesDeps {
  revoke: (nodeId: string, ctx: { actor: string; source?: string }) => Promise<RevocationReport>;
  credentials: CredentialStore;
  audit: AuditLog;
  disconnect: (username: string) => Promise<number>;
  /** DELETE /api/nodes/:id and /api/devices/:id remove from it (after revoking a node that still holds credentials); none: no removal routes */
  registry?: RemovableRegistry;
  /** asked at each node removal: what makes the node forget its adopted devices first, if this hub adopts any */
  forgetAdopted?: () => RemovalDeps['forgetAdopted'];
}

export const NewCredentialsSchema = z
  .object({ role: z.enum(['controller', 'admin']), username: z.string().regex(USERNAME, 'a-z, 0-9, _ . - (at most 64)') })
  .strict();
const AuditQuerySchema = z.object({
  kind: z.enum(AUDIT_KINDS).optional(),
  subject: z.string().max(120).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const AuditListSchema = z.object({ entries: z.array(AuditEventSchema.extend({ id: z.number(), at: z.string() })) });
const IssuedCredentialsSchema = z.object({ username: z.string(), password: z.string(), role: z.string() });

export const SECURITY_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/nodes/{id}/revoke',
    summary: "Revoke a node: credentials deleted, live session closed, retained topics cleared, audited",
    response: RevocationReportSchema,
    errors: [400, 404],
    auth: 'always',
  },
  {
    method: 'delete',
    path: '/api/nodes/{id}',
    summary:
      'Remove a node and its devices for good: an online node first takes its adopted devices out of their ecosystems (bounded wait; `forgotten`, `notForgotten`), then it is revoked when it still holds credentials; audited',
    response: NodeRemovalReportSchema,
    errors: [400, 404],
    auth: 'always',
  },
  {
    method: 'delete',
    path: '/api/devices/{id}',
    summary: 'Remove a device for good (its state and history too); its node stays; audited',
    response: DeviceRemovalSchema,
    errors: [404],
    auth: 'always',
  },
  { method: 'get', path: '/api/audit', summary: 'The audit log, newest first (?kind=&subject=&limit=)', response: AuditListSchema, errors: [400], auth: 'always' },
  {
    method: 'post',
    path: '/api/mqtt-credentials',
    summary: 'MQTT credentials for a controller (reads homie/5/#, sets what needs no confirmation) or an admin',
    body: NewCredentialsSchema,
    response: IssuedCredentialsSchema,
    errors: [400, 409],
    auth: 'always',
  },
];

/** The owner's security endpoints under `/api`, behind installApiAuth: revocation, removal, audit log, MQTT credentials. */
export const securityRoutes: FastifyPluginAsync<SecurityRoutesDeps> = async (app, deps) => {
  app.setErrorHandler((error: FastifyError, request, reply) => stewardErrorHandler(error, reply, request.log));

  app.post<{ Params: { id: string } }>('/nodes/:id/revoke', async (request) => {
    if (!NODE_ID.test(request.params.id)) throw new StewardError('BAD_REQUEST', `not a node id: ${request.params.id}`);
    return deps.revoke(request.params.id, { actor: 'admin', source: request.ip });
  });

  // a node and its devices, for good: gone from every list, reply and SQLite (a paired one is revoked first)
  const registry = deps.registry;
  if (registry) {
    app.delete<{ Params: { id: string } }>('/nodes/:id', async (request) => {
      if (!NODE_ID.test(request.params.id)) throw new StewardError('BAD_REQUEST', `not a node id: ${request.params.id}`);
      const forgetAdopted = deps.forgetAdopted?.();
      return removeNode({ registry, revoke: deps.revoke, audit: deps.audit, ...(forgetAdopted ? { forgetAdopted } : {}) }, request.params.id, { actor: 'admin', source: request.ip });
    });
    app.delete<{ Params: { id: string } }>('/devices/:id', async (request) =>
      removeDevice({ registry, audit: deps.audit }, request.params.id, { actor: 'admin', source: request.ip }),
    );
  }

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
