import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { StewardError, ValueSchema, fieldsOf } from '@steward/device-adapters';
import type { RouteDoc } from '../core/feature.ts';
import { parseOrThrow } from '../http/errors.ts';
import { TimeQuerySchema } from '../http/query.ts';
import type { Registry } from '../registry/registry.ts';
import type { HistoryStore } from './store.ts';

/** `since`: an ISO time or milliseconds since the epoch (default: a day ago) */
export const HistoryQuerySchema = z
  .object({
    since: TimeQuerySchema.optional(),
    field: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,63}$/, 'a state field name, like brightness').optional(),
    /** at most this many points, the newest (default 2000) */
    limit: z.coerce.number().int().min(1).max(10_000).default(2000),
  })
  .strict();

export const HistorySchema = z.object({
  deviceId: z.string(),
  /** in time order; `t` in milliseconds since the epoch */
  points: z.array(z.object({ t: z.number(), field: z.string(), value: ValueSchema })),
});

export const HISTORY_ROUTE_DOC: RouteDoc = {
  method: 'get',
  path: '/api/devices/{id}/history',
  summary:
    "A device's reported values over time (?since=ISO or epoch ms, default a day ago; ?field=; ?limit=1..10000, default 2000, the newest): numeric, enum and boolean fields, in time order; kept for the history retention",
  query: HistoryQuerySchema,
  response: HistorySchema,
  errors: [400, 404],
  auth: 'remote',
};

/** the fields worth a chart: numbers, enums, booleans (not free text) */
const CHARTABLE = new Set(['integer', 'float', 'enum', 'boolean']);

export const historyRoutes: FastifyPluginAsync<{ store: HistoryStore; registry: Registry; now: () => number }> = async (app, { store, registry, now }) => {
  app.get<{ Params: { id: string } }>('/devices/:id/history', async (request) => {
    const q = parseOrThrow(HistoryQuerySchema, request.query, 'query');
    const device = registry.device(request.params.id);
    if (!device) throw new StewardError('UNKNOWN_DEVICE', `no device ${request.params.id}`);
    const fields = fieldsOf(device);
    const chartable = new Set(Object.entries(fields).flatMap(([name, f]) => (CHARTABLE.has(f.datatype) ? [name] : [])));
    if (q.field !== undefined && !chartable.has(q.field)) {
      throw new StewardError(
        'BAD_REQUEST',
        `query.field: ${device.id} has no ${fields[q.field] ? 'chartable ' : ''}field ${q.field} (its numeric, enum and boolean fields: ${[...chartable].join(', ')})`,
      );
    }
    const since = q.since ?? now() - 86_400_000;
    return HistorySchema.parse({ deviceId: device.id, points: store.points(device.id, { since, limit: q.limit, fields: q.field ? [q.field] : [...chartable] }) });
  });
};
