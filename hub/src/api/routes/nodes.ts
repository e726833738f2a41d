import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { nodeInfos } from '../views.ts';

/** GET /api/nodes: every node agent, online or not; GET /api/health: the hub answers and what it sees. */
export const nodeRoutes: FastifyPluginAsync<Pick<ApiDeps, 'registry' | 'mqttStats' | 'rejections' | 'pairedNodes'>> = async (app, { registry, mqttStats, rejections, pairedNodes }) => {
  app.get('/nodes', async () => ({ nodes: nodeInfos(registry, pairedNodes?.()) }));

  app.get('/health', async () => {
    const nodes = registry.nodes();
    return {
      ok: true as const,
      version: registry.version,
      nodes: { total: nodes.length, online: nodes.filter((n) => n.online).length },
      devices: registry.devices().length,
      mqtt: mqttStats(),
      rejections: rejections?.() ?? {},
    };
  });
};
