import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ApiDeps } from '../deps.ts';
import { parseOrThrow } from '../../http/errors.ts';
import { ScheduleRecordSchema, type ScheduleRecord } from '../../conversation/schedules.ts';

export const ScheduleQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

/** a schedule as the API shows it: times as ISO strings */
export const ScheduleViewSchema = ScheduleRecordSchema.extend({ createdAt: z.string(), dueAt: z.string(), finishedAt: z.string().nullable() });
export const ScheduleListSchema = z.object({ schedules: z.array(ScheduleViewSchema) });

function view(r: ScheduleRecord): z.infer<typeof ScheduleViewSchema> {
  const iso = (ms: number) => new Date(ms).toISOString();
  return { ...r, createdAt: iso(r.createdAt), dueAt: iso(r.dueAt), finishedAt: r.finishedAt === null ? null : iso(r.finishedAt) };
}

/**
 * GET /api/schedules: scheduled commands, pending ones first (soonest first), then the latest finished ones with
 * how they ended: done, failed, missed (due while the hub was down, beyond the grace period) or cancelled.
 */
export const scheduleRoutes: FastifyPluginAsync<{ schedules: NonNullable<ApiDeps['schedules']> }> = async (app, { schedules }) => {
  app.get('/schedules', async (request) => {
    const { limit } = parseOrThrow(ScheduleQuerySchema, request.query, 'query');
    return { schedules: schedules(limit).map(view) };
  });
};
