import { z } from 'zod';
import { defineFeature } from '../core/feature.ts';
import { keyedConfig } from '../core/feature-options.ts';
import { HISTORY_ROUTE_DOC, historyRoutes } from './routes.ts';
import { HistoryStore } from './store.ts';

export interface HistoryProvides {
  store: HistoryStore;
  /** applies retention now (it also runs at start and every `pruneEveryMs`) */
  prune(): number;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    history: HistoryProvides;
  }
}

export const HistoryConfigSchema = z
  .object({
    /** reported values older than this are deleted */
    maxAgeDays: z.number().positive().max(3650).default(30),
    /** and beyond this many rows (all devices), the oldest */
    maxRows: z.number().int().min(1000).max(100_000_000).default(1_000_000),
    pruneEveryMs: z.number().int().min(1000).max(86_400_000).default(3_600_000),
  })
  .strict();

/**
 * Device state history for the dashboard's charts: GET /api/devices/:id/history from the `state_history` rows the
 * registry writes with every committed change, kept bounded by age and count.
 */
export const historyFeature = () => {
  let timer: NodeJS.Timeout | undefined;
  return defineFeature({
    name: 'history',
    needs: ['store', 'registry'],
    config: keyedConfig('history', HistoryConfigSchema, {
      maxAgeDays: ['D', 'device state history older than this is deleted (default 30)'],
      maxRows: ['N', 'device state history rows kept, the newest (default 1000000)'],
    }),
    start(ctx, config) {
      const store = new HistoryStore(ctx.get('store').db);
      const log = ctx.logger.child({ component: 'history' });
      const prune = () => {
        const n = store.prune(config, ctx.clock.now());
        if (n > 0) log.info({ deleted: n }, 'device state history pruned');
        return n;
      };
      prune();
      timer = setInterval(() => {
        try {
          prune();
        } catch (err) {
          log.error({ err }, 'pruning the device state history failed');
        }
      }, config.pruneEveryMs);
      timer.unref();
      return { store, prune };
    },
    routes(ctx) {
      const { store } = ctx.get('history');
      return { docs: [HISTORY_ROUTE_DOC], plugin: async (app) => app.register(historyRoutes, { store, registry: ctx.get('registry'), now: () => ctx.clock.now() }) };
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  });
};
