import { z } from 'zod';
import type { RouteDoc } from '../core/feature.ts';
import { ErrorBodySchema } from '@steward/device-adapters';

const ErrorResponseSchema = z.object({ error: ErrorBodySchema });

function json(schema: z.ZodType, io: 'input' | 'output') {
  // the document declares the dialect once (OpenAPI 3.1 is JSON Schema 2020-12); each schema need not repeat it
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return { 'application/json': { schema: body } };
}

const SUCCESS = { 200: 'OK', 201: 'Created', 202: 'Accepted' } as const;

/** a query schema's fields as OpenAPI parameters */
function queryParameters(query: z.ZodObject | undefined): Record<string, unknown>[] {
  if (!query) return [];
  const schema = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: (schema.required ?? []).includes(name), schema: s }));
}

/**
 * An OpenAPI 3.1 document (its schemas are JSON Schema 2020-12) generated from the zod schemas each feature's
 * routes parse and answer with (`FeatureRoutes.docs`).
 */
export function buildOpenApi(routes: readonly RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, unknown> =
      r.answer === 'no-content'
        ? { '204': { description: 'Done' } }
        : r.answer === 'event-stream'
          ? { '200': { description: 'Server-sent events; each `data` is one of these', content: { 'text/event-stream': { schema: json(r.response, 'output')['application/json'].schema } } } }
          : { [String(r.status ?? 200)]: { description: SUCCESS[r.status ?? 200], content: json(r.response, 'output') } };
    if (r.accepted) responses['202'] = { description: "Waiting for the owner's confirmation", content: json(r.accepted, 'output') };
    for (const status of [...r.errors, ...(r.auth === 'public' ? [] : [401])]) responses[String(status)] = { description: status === 401 ? 'No valid admin token' : 'Error', content: json(ErrorResponseSchema, 'output') };
    paths[r.path] ??= {};
    const parameters = [
      ...(r.path.includes('{id}') ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] : []),
      ...queryParameters(r.query),
    ];
    paths[r.path]![r.method] = {
      summary: r.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: json(r.body, 'input') } } : {}),
      // 'remote' reads: open from the hub's own machine (loopback), the token from anywhere else
      security: r.auth === 'public' ? [] : r.auth === 'always' ? [{ adminToken: [] }, { sessionCookie: [] }] : [{}, { adminToken: [] }, { sessionCookie: [] }],
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Steward hub API',
      version: '1',
      description:
        'Mutating endpoints need Authorization: Bearer <admin token> (the token is in <data-dir>/admin-token), or the session cookie from POST /api/session with the header X-Steward-CSRF: 1. GETs are open on loopback.',
    },
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' }, sessionCookie: { type: 'apiKey', in: 'cookie', name: 'steward_session' } },
    },
    paths,
  };
}
