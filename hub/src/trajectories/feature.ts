import { defineFeature } from '../core/feature.ts';
import { keyedConfig } from '../core/feature-options.ts';
import { createTrajectories, TrajectoriesConfigSchema, type Trajectories } from './index.ts';
import { COMMANDS_ROUTE_DOC, commandRoutes } from './commands.ts';
import { TRAJECTORY_ROUTE_DOC, trajectoryRoutes } from './routes.ts';

declare module '../core/feature.ts' {
  interface HubFeatures {
    trajectories: Trajectories;
  }
}

/**
 * Every request's trajectory in the hub's SQLite file: the rule path through the conversation's turn observer, the
 * planner through `recorder`; GET /api/trajectories, and the same rows as commands at GET /api/commands (`commands`
 * tells the event stream). Retention by count and age.
 */
export const trajectoriesFeature = () => {
  let unobserve: (() => void) | undefined;
  return defineFeature({
    name: 'trajectories',
    needs: ['store', 'conversation'],
    config: keyedConfig('trajectories', TrajectoriesConfigSchema, {
      maxCount: ['N', 'trajectories kept, the newest (default 10000)'],
      maxAgeDays: ['D', 'trajectories older than this are deleted (default 90)'],
    }),
    start(ctx, config) {
      return createTrajectories(ctx.get('store').db, ctx.logger, config);
    },
    ready(ctx) {
      unobserve = ctx.get('conversation').observe(ctx.get('trajectories').observer);
    },
    routes(ctx) {
      const { store } = ctx.get('trajectories');
      return {
        docs: [TRAJECTORY_ROUTE_DOC, COMMANDS_ROUTE_DOC],
        plugin: async (app) => {
          await app.register(trajectoryRoutes, { store });
          await app.register(commandRoutes, { store });
        },
      };
    },
    stop() {
      unobserve?.();
      unobserve = undefined;
    },
  });
};
