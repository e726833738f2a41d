import { z } from 'zod';
import { defineFeature } from '../core/feature.ts';
import { confirmationInfo } from '../conversation/confirmations.ts';
import { deviceInfo, nodeInfos } from '../api/views.ts';
import { EventBus } from './bus.ts';
import { EVENTS_ROUTE_DOC, eventRoutes } from './routes.ts';
import type { SnapshotEventSchema } from './schema.ts';

type SnapshotEvent = z.infer<typeof SnapshotEventSchema>;

export interface EventsProvides {
  bus: EventBus;
  /** the whole picture now: devices, nodes, pending confirmations (the stream's `snapshot`) */
  snapshot(): SnapshotEvent;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    events: EventsProvides;
  }
}

export const EventsConfigSchema = z
  .object({
    /** a comment line this often keeps proxies and the browser from giving up on a quiet stream */
    heartbeatMs: z.number().int().min(50).max(300_000).default(15_000),
    /** events kept for clients that reconnect: at most this many, and this many bytes */
    bufferEvents: z.number().int().min(1).max(100_000).default(1000),
    bufferBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(4 * 1024 * 1024),
    /** open streams at once; one more gets 503 */
    maxClients: z.number().int().min(1).max(10_000).default(32),
    /** unsent bytes a client may fall behind by before it is cut off (it resumes with Last-Event-ID) */
    clientBufferBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
    /** how long a browser waits before reconnecting (the stream's `retry:`) */
    retryMs: z.number().int().min(100).max(60_000).default(2000),
  })
  .strict();

/**
 * GET /api/events: the dashboard's live view, fed by the registry (state and presence; a new snapshot when its
 * structure changes), the hub's one store of pending confirmations, the devices nodes found (adoption), and every
 * finished command (the trajectories' record of it, for the owner only). Device changes of one tick are sent once,
 * with the device's whole state.
 */
export const eventsFeature = () => {
  let bus: EventBus | undefined;
  let retryMs = 2000;
  const closers: (() => unknown)[] = [];
  return defineFeature({
    name: 'events',
    needs: ['registry', 'conversation'],
    // after the API: stopped before it, so the open streams end before the HTTP server closes
    uses: ['security', 'trajectories', 'api', 'adoption'],
    config: { key: 'events', schema: EventsConfigSchema, options: [] },
    start(ctx, config) {
      const b = (bus = new EventBus(config));
      retryMs = config.retryMs;
      const registry = ctx.get('registry');
      const confirmations = ctx.get('conversation').pipeline.confirmations;
      const adoption = ctx.find('adoption');
      const snapshot = (): SnapshotEvent => ({
        bootId: b.bootId,
        devices: registry.devices().map((d) => deviceInfo(registry, d)),
        nodes: nodeInfos(registry, ctx.find('security')?.credentials.pairedNodeIds()),
        confirmations: confirmations.list().map(confirmationInfo),
        ...(adoption ? { adoptions: adoption.service.pending() } : {}),
      });
      return { bus: b, snapshot };
    },
    ready(ctx) {
      const { bus: b, snapshot } = ctx.get('events');
      const registry = ctx.get('registry');
      const log = ctx.logger.child({ component: 'events' });
      const dirty = new Set<string>();
      let flushing: NodeJS.Immediate | undefined;
      const flush = () => {
        flushing = undefined;
        for (const id of dirty) {
          const d = registry.device(id);
          if (!d) continue;
          b.publish('device', { id, state: registry.state(id) ?? {}, reported: registry.reported(id), targets: registry.targets(id), online: registry.isOnline(d.nodeId) });
        }
        dirty.clear();
      };
      const changed = (deviceId: string) => {
        dirty.add(deviceId);
        flushing ??= setImmediate(flush);
      };
      let snapshotDue: NodeJS.Immediate | undefined;
      closers.push(
        () => flushing && clearImmediate(flushing),
        () => snapshotDue && clearImmediate(snapshotDue),
        registry.stateChanged.on(({ deviceId }) => changed(deviceId)),
        registry.presenceChanged.on(({ nodeId, online }) => {
          b.publish('node', { id: nodeId, online });
          for (const d of registry.devices()) if (d.nodeId === nodeId) changed(d.id);
        }),
        // a device added, renamed, moved or removed: the whole picture again, once per tick
        registry.changed.on(() => {
          snapshotDue ??= setImmediate(() => {
            snapshotDue = undefined;
            b.publish('snapshot', snapshot());
          });
        }),
        ctx.get('conversation').pipeline.confirmations.changed.on(({ action, record }) => b.publish('confirmation', { action, confirmation: confirmationInfo(record) })),
      );
      // devices found after pairing: found, adopted, ignored, lost
      const adoption = ctx.find('adoption');
      if (adoption) closers.push(adoption.changed.on((e) => b.publish('adoption', e)));
      const trajectories = ctx.find('trajectories');
      if (trajectories) {
        closers.push(
          trajectories.commands.on((c) => b.publish('command', { id: c.id, at: c.at, text: c.text, reply: c.reply, source: c.source, lang: c.lang, ok: c.ok }, true)),
        );
      } else log.info('no trajectories feature: the event stream carries no commands');
    },
    routes(ctx) {
      const { bus: b, snapshot } = ctx.get('events');
      return { docs: [EVENTS_ROUTE_DOC], plugin: async (app) => app.register(eventRoutes, { bus: b, snapshot, retryMs }) };
    },
    stop() {
      while (closers.length > 0) closers.pop()!();
      bus?.close();
      bus = undefined;
    },
  });
};
