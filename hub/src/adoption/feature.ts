import { z } from 'zod';
import { parseTopic, RPC_ROOT } from '@steward/device-adapters';
import { defineFeature } from '../core/feature.ts';
import type { Signal } from '../core/signal.ts';
import { ADOPTION_ROUTE_DOCS, adoptionRoutes } from './routes.ts';
import { AdoptionService, type AdoptionEvent } from './service.ts';
import { AdoptionStore } from './store.ts';

export interface AdoptionProvides {
  service: AdoptionService;
  /** before a node is removed: its adopted devices leave their ecosystems (bounded wait; at once when it is offline) */
  forgetNode(nodeId: string): Promise<{ forgotten: string[]; notForgotten: string[] }>;
  /** found, adopted, ignored, lost: what the dashboard's event stream forwards as `adoption` */
  changed: Signal<AdoptionEvent>;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    adoption: AdoptionProvides;
  }
}

export const AdoptionConfigSchema = z
  .object({
    /** how long a node may take to commission a device (Matter: discovery, PASE, certificates) */
    commissionTimeoutMs: z.number().int().positive().max(600_000).default(120_000),
    /** removing a whole node: how long its adopted devices may take to leave their ecosystems before it is revoked */
    forgetTimeoutMs: z.number().int().positive().max(120_000).default(10_000),
  })
  .strict();

/**
 * Devices nodes find after pairing (issue 14): reads each node's retained discovery report, keeps the records in
 * SQLite, and serves `/api/adoptions` and `/api/nodes/:id/commission`. A device the owner removes is forgotten by
 * its node; one its ecosystem lost leaves the registry.
 */
export const adoptionFeature = () => {
  const closers: (() => unknown)[] = [];
  return defineFeature({
    name: 'adoption',
    needs: ['store', 'registry', 'transport'],
    config: {
      key: 'adoption',
      schema: AdoptionConfigSchema,
      options: [
        { flag: 'commission-timeout-ms', field: 'commissionTimeoutMs', kind: 'number', value: 'MS', help: 'how long a node may take to commission a device (default 120000)' },
        { flag: 'forget-timeout-ms', field: 'forgetTimeoutMs', kind: 'number', value: 'MS', help: "removing a node: how long its adopted devices may take to leave their ecosystems (default 10000)" },
      ],
    },
    async start(ctx, config) {
      const registry = ctx.get('registry');
      const { conn, rpc } = ctx.get('transport');
      const service = new AdoptionService({
        store: new AdoptionStore(ctx.get('store').db),
        registry,
        rpc,
        clock: ctx.clock,
        logger: ctx.logger,
        rejections: ctx.rejections,
        commissionTimeoutMs: config.commissionTimeoutMs,
      });
      closers.push(registry.deviceRemoved.on((e) => service.onDeviceRemoved(e)));
      closers.push(registry.presenceChanged.on(({ nodeId, online }) => online && service.onNodeOnline(nodeId)));
      closers.push(
        conn.messages.on(({ topic, payload }) => {
          const t = parseTopic(topic);
          if (t.kind === 'discovery') service.onReport(t.nodeId, payload);
        }),
      );
      await conn.subscribe([`${RPC_ROOT}/+/discovery`]);
      return { service, changed: service.changed, forgetNode: (nodeId) => service.forgetNode(nodeId, config.forgetTimeoutMs) };
    },
    routes(ctx) {
      const registry = ctx.get('registry');
      const { service } = ctx.get('adoption');
      return { docs: ADOPTION_ROUTE_DOCS, plugin: async (app) => app.register(adoptionRoutes, { service, registry }) };
    },
    stop() {
      while (closers.length > 0) closers.pop()!();
    },
  });
};
