import type { FastifyPluginAsync } from 'fastify';
import { parseOrThrow } from '../http/errors.ts';
import { TrajectoryListSchema, TrajectoryQuerySchema } from './schema.ts';
import type { TrajectoryStore } from './store.ts';

/** GET /api/trajectories?limit=&since=: the newest first. What people said is private: the admin token always. */
export const trajectoryRoutes: FastifyPluginAsync<{ store: Pick<TrajectoryStore, 'list'> }> = async (app, { store }) => {
  app.get('/trajectories', async (request) => {
    const q = parseOrThrow(TrajectoryQuerySchema, request.query, 'query');
    return TrajectoryListSchema.parse({ trajectories: store.list({ limit: q.limit, ...(q.since !== undefined ? { since: q.since } : {}) }) });
  });
};

export const TRAJECTORY_ROUTE_DOC = {
  method: 'get' as const,
  path: '/api/trajectories',
  summary: 'Recorded requests, newest first (?limit=1..1000, default 50; ?since=ISO time or epoch ms): input, parse or model messages, tool calls and results, confirmations, replies, corrections',
  response: TrajectoryListSchema,
  errors: [400],
  auth: 'always' as const,
};
