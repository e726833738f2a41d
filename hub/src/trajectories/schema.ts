/**
 * A stored trajectory as the API returns it and the exporter reads it; one zod schema for both, so
 * GET /api/trajectories and the OpenAPI document come from the same source.
 */
import { z } from 'zod';
import { TimeQuerySchema } from '../http/query.ts';
import { TrajectoryPathSchema, TrajectorySourceSchema, TrajectoryStepSchema } from './recorder.ts';

export const TrajectorySchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  path: TrajectoryPathSchema,
  source: TrajectorySourceSchema,
  /** what was typed, or the transcript of what was said */
  text: z.string(),
  lang: z.string(),
  area: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  ms: z.number(),
  reply: z.string(),
  ok: z.boolean(),
  tokens: z.object({ prompt: z.number(), completion: z.number() }).optional(),
  /** in order; `at` is milliseconds since the epoch */
  steps: z.array(TrajectoryStepSchema),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;

export const TrajectoryListSchema = z.object({ trajectories: z.array(TrajectorySchema) });

/** `since`: an ISO time or milliseconds since the epoch; trajectories started at or after it */
export const TrajectoryQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    since: TimeQuerySchema.optional(),
  })
  .strict();

export const RetentionSchema = z.object({
  /** the newest this many are kept */
  maxCount: z.number().int().min(1).max(10_000_000).default(10_000),
  /** older ones are deleted */
  maxAgeDays: z.number().positive().max(36_500).default(90),
});
export type Retention = z.infer<typeof RetentionSchema>;
