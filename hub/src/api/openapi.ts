import { z } from 'zod';
import { ActionResultSchema, CommandTextRequestSchema, CommandTextResponseSchema } from '../conversation/contract.ts';
import { AwaitingConfirmationSchema, ConfirmationListSchema, DecisionSchema, SettledSchema } from '../conversation/confirmations.ts';
import { AuditEventSchema } from '../auth/audit-log.ts';
import { NewCredentialsSchema, OpenPairingSchema } from '../pairing/admin-routes.ts';
import { DeviceEditSchema, DeviceInfoSchema, DeviceListSchema, DirectCommandSchema, ErrorResponseSchema, HealthSchema, NodeListSchema } from './schemas.ts';

interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  response: z.ZodType;
  /** a 202 answer: the change waits for the owner's confirmation */
  accepted?: z.ZodType;
  errors: number[];
  /** 'always': needs the admin token from everywhere; 'remote': GETs open on loopback, token from other machines */
  auth: 'always' | 'remote';
}

// responses of the security routes (hub/src/pairing/admin-routes.ts), for the document only
const PairingWindowSchema = z.object({ code: z.string(), expiresAt: z.string(), qr: z.string() });
const RevocationReportSchema = z.object({
  nodeId: z.string(),
  credentialsDeleted: z.array(z.string()),
  sessionsClosed: z.number(),
  retainedCleared: z.array(z.string()),
});
const AuditListSchema = z.object({ entries: z.array(AuditEventSchema.extend({ id: z.number(), at: z.string() })) });
const IssuedCredentialsSchema = z.object({ username: z.string(), password: z.string(), role: z.string() });

const ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/command',
    summary: 'Say something: the reply and every action with the state the node acknowledged',
    body: CommandTextRequestSchema,
    response: CommandTextResponseSchema,
    errors: [400, 413],
    auth: 'always',
  },
  { method: 'get', path: '/api/devices', summary: 'Every device with its state and whether its node is online', response: DeviceListSchema, errors: [], auth: 'remote' },
  { method: 'get', path: '/api/devices/{id}', summary: 'One device', response: DeviceInfoSchema, errors: [404], auth: 'remote' },
  {
    method: 'patch',
    path: '/api/devices/{id}',
    summary: 'Rename (per language) or move a device to another area',
    body: DeviceEditSchema,
    response: DeviceInfoSchema,
    errors: [400, 404],
    auth: 'always',
  },
  {
    method: 'post',
    path: '/api/devices/{id}/commands',
    summary: "Direct control without language: completes when the node acknowledges; a change the device's confirm rules list answers 202 and waits",
    body: DirectCommandSchema,
    response: ActionResultSchema,
    accepted: AwaitingConfirmationSchema,
    errors: [400, 404, 409, 502, 503, 504],
    auth: 'always',
  },
  { method: 'get', path: '/api/confirmations', summary: 'Pending confirmations from every path (sentence, scene, api, planner)', response: ConfirmationListSchema, errors: [], auth: 'remote' },
  {
    method: 'post',
    path: '/api/confirmations/{id}',
    summary: 'Settle a pending confirmation: confirm runs it (the acknowledged results), cancel drops it; 404 unknown, 410 expired, 409 already settled',
    body: DecisionSchema,
    response: SettledSchema,
    errors: [400, 404, 409, 410],
    auth: 'always',
  },
  { method: 'get', path: '/api/nodes', summary: 'Every node agent: id, name, online, paired', response: NodeListSchema, errors: [], auth: 'remote' },
  { method: 'get', path: '/api/health', summary: 'The hub answers; nodes online; MQTT messages accepted and dropped', response: HealthSchema, errors: [], auth: 'remote' },
  {
    method: 'post',
    path: '/api/pairing',
    summary: 'Open a pairing window: a one-time code and the QR payload (steward://pair?...) for one device',
    body: OpenPairingSchema,
    response: PairingWindowSchema,
    errors: [400],
    auth: 'always',
  },
  {
    method: 'post',
    path: '/api/nodes/{id}/revoke',
    summary: "Revoke a node: credentials deleted, live session closed, retained topics cleared, audited",
    response: RevocationReportSchema,
    errors: [400, 404],
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

function json(schema: z.ZodType, io: 'input' | 'output') {
  // the document declares the dialect once (OpenAPI 3.1 is JSON Schema 2020-12); each schema need not repeat it
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return { 'application/json': { schema: body } };
}

/** An OpenAPI 3.1 document (its schemas are JSON Schema 2020-12) generated from the same zod schemas the routes use. */
export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const responses: Record<string, unknown> = { '200': { description: 'OK', content: json(r.response, 'output') } };
    if (r.accepted) responses['202'] = { description: 'Waiting for the owner\'s confirmation', content: json(r.accepted, 'output') };
    for (const status of [...r.errors, 401]) responses[String(status)] = { description: status === 401 ? 'No valid admin token' : 'Error', content: json(ErrorResponseSchema, 'output') };
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      summary: r.summary,
      ...(r.path.includes('{id}') ? { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] } : {}),
      ...(r.body ? { requestBody: { required: true, content: json(r.body, 'input') } } : {}),
      // 'remote' reads: open from the hub's own machine (loopback), the token from anywhere else
      security: r.auth === 'always' ? [{ adminToken: [] }] : [{}, { adminToken: [] }],
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Steward hub API',
      version: '1',
      description: 'Mutating endpoints need Authorization: Bearer <admin token> (the token is in <data-dir>/admin-token). GETs are open on loopback.',
    },
    components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
