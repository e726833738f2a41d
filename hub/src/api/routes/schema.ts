import type { FastifyPluginAsync } from 'fastify';
import type { RouteDoc } from '../../core/feature.ts';
import { buildOpenApi } from '../../http/openapi.ts';

/** GET /api/schema: every served route described from its zod schemas (built once: they do not change at run time). */
export const schemaRoutes: FastifyPluginAsync<{ docs: readonly RouteDoc[] }> = async (app, { docs }) => {
  const doc = buildOpenApi(docs);
  app.get('/schema', async () => doc);
};
