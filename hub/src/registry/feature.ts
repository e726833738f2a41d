import type { Clock } from '../core/clock.ts';
import { defineFeature } from '../core/feature.ts';
import { waitUntilNone } from '../core/wait.ts';
import { Registry } from './registry.ts';

declare module '../core/feature.ts' {
  interface HubFeatures {
    registry: Registry;
  }
}

/** The in-memory registry over the store: devices, areas, scenes, state, and which nodes are online. */
export const registryFeature = () =>
  defineFeature({
    name: 'registry',
    needs: ['store'],
    start(ctx) {
      const { registryStore, stateStore } = ctx.get('store');
      return new Registry(registryStore, stateStore, ctx.logger, ctx.clock);
    },
  });

/** Resolves when these nodes (default: all in the registry) are online; TIMEOUT after `timeoutMs`. */
export async function waitForNodes(registry: Registry, clock: Clock, nodeIds: readonly string[] | undefined, timeoutMs: number): Promise<void> {
  const wanted = nodeIds ?? registry.nodes().map((n) => n.id);
  await waitUntilNone(() => wanted.filter((id) => !registry.isOnline(id)), registry.presenceChanged, clock, timeoutMs, 'nodes not online');
}
