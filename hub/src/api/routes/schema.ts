import type { FastifyPluginAsync } from 'fastify';
import { buildOpenApi } from '../openapi.ts';

/** GET /api/schema: the API described from its zod schemas (built once: the schemas do not change at run time). */
export const schemaRoutes: FastifyPluginAsync = async (app) => {
  const doc = buildOpenApi();
  app.get('/schema', async () => doc);
};
