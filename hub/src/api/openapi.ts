import { z } from 'zod';
import { ActionResultSchema, CommandTextRequestSchema, CommandTextResponseSchema } from '../conversation/contract.ts';
import { DeviceEditSchema, DeviceInfoSchema, DeviceListSchema, DirectCommandSchema, ErrorResponseSchema, HealthSchema, NodeListSchema } from './schemas.ts';

interface RouteDoc {
  method: 'get' | 'post' | 'patch';
  path: string;
  summary: string;
  body?: z.ZodType;
  response: z.ZodType;
  errors: number[];
}

const ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/command',
    summary: 'Say something: the reply and every action with the state the node acknowledged',
    body: CommandTextRequestSchema,
    response: CommandTextResponseSchema,
    errors: [400, 413],
  },
  { method: 'get', path: '/api/devices', summary: 'Every device with its state and whether its node is online', response: DeviceListSchema, errors: [] },
  { method: 'get', path: '/api/devices/{id}', summary: 'One device', response: DeviceInfoSchema, errors: [404] },
  {
    method: 'patch',
    path: '/api/devices/{id}',
    summary: 'Rename (per language) or move a device to another area',
    body: DeviceEditSchema,
    response: DeviceInfoSchema,
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/api/devices/{id}/commands',
    summary: 'Direct control without language: completes when the node acknowledges',
    body: DirectCommandSchema,
    response: ActionResultSchema,
    errors: [400, 404, 409, 502, 503, 504],
  },
  { method: 'get', path: '/api/nodes', summary: 'Every node agent', response: NodeListSchema, errors: [] },
  { method: 'get', path: '/api/health', summary: 'The hub answers; nodes online; MQTT messages accepted and dropped', response: HealthSchema, errors: [] },
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
    for (const status of r.errors) responses[String(status)] = { description: 'Error', content: json(ErrorResponseSchema, 'output') };
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      summary: r.summary,
      ...(r.path.includes('{id}') ? { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] } : {}),
      ...(r.body ? { requestBody: { required: true, content: json(r.body, 'input') } } : {}),
      responses,
    };
  }
  return { openapi: '3.1.0', info: { title: 'Steward hub API', version: '1' }, paths };
}
