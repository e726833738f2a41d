import { z } from 'zod';
import type { RouteDoc } from '../core/feature.ts';
import { ErrorBodySchema } from '@steward/device-adapters';

const ErrorResponseSchema = z.object({ error: ErrorBodySchema });

function json(schema: z.ZodType, io: 'input' | 'output') {
  // the document declares the dialect once (OpenAPI 3.1 is JSON Schema 2020-12); each schema need not repeat it
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return { 'application/json': { schema: body } };
}

/**
 * An OpenAPI 3.1 document (its schemas are JSON Schema 2020-12) generated from the zod schemas each feature's
 * routes parse and answer with (`FeatureRoutes.docs`).
 */
export function buildOpenApi(routes: readonly RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, unknown> = { '200': { description: 'OK', content: json(r.response, 'output') } };
    if (r.accepted) responses['202'] = { description: "Waiting for the owner's confirmation", content: json(r.accepted, 'output') };
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
