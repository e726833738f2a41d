import { z } from 'zod';
import { ValueSchema } from '@steward/device-adapters';
import { defineFeature } from '../core/feature.ts';
import { Reconciler, type StateDifference } from './reconcile.ts';

declare module '../core/feature.ts' {
  interface HubFeatures {
    reconcile: { differences(): StateDifference[] };
  }
}

export const StateDifferenceListSchema = z.object({
  differences: z.array(
    z.object({ nodeId: z.string(), deviceId: z.string(), field: z.string(), acknowledged: ValueSchema, reported: ValueSchema, at: z.string() }),
  ),
});

/**
 * After a restart, each node's first state is compared with what the hub had acknowledged before (see
 * reconcile.ts): differences are logged and served by GET /api/state-differences; the node's state is kept.
 * Listed right after the registry: it must read the registry before the transport brings the first Homie message.
 */
export const reconcileFeature = () => {
  let reconciler: Reconciler | undefined;
  return defineFeature({
    name: 'reconcile',
    needs: ['registry'],
    start(ctx) {
      const r = new Reconciler(ctx.get('registry'), ctx.logger);
      r.listen();
      reconciler = r;
      return { differences: () => r.differences() };
    },
    ready(ctx) {
      const transport = ctx.find('transport');
      if (transport) reconciler?.start(transport.rpc);
    },
    stop() {
      reconciler?.stop();
      reconciler = undefined;
    },
    routes(ctx) {
      const { differences } = ctx.get('reconcile');
      return {
        docs: [
          {
            method: 'get',
            path: '/api/state-differences',
            summary: 'Fields nodes came back with, after a restart, at another value than last acknowledged (the node is kept)',
            response: StateDifferenceListSchema,
            errors: [],
            auth: 'remote',
          },
        ],
        plugin: async (app) => {
          app.get('/state-differences', async (): Promise<z.infer<typeof StateDifferenceListSchema>> => ({
            differences: differences().map((d) => ({ ...d, at: new Date(d.at).toISOString() })),
          }));
        },
      };
    },
  });
};
