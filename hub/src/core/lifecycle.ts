/**
 * Runs a list of features: orders them by `needs` and `uses`, starts them in that order with their configuration
 * slices, calls `ready` on each, and stops them in reverse (also after a failed start).
 */
import type { Logger } from 'pino';
import { StewardError } from '@steward/device-adapters';
import type { Clock } from './clock.ts';
import { Rejections } from './rejections.ts';
import type { FeatureConfig, FeatureName, FeatureRoutes, HubContext, HubFeature, HubFeatures } from './feature.ts';

/** any feature, whatever its name and slice (a hub's list mixes them) */
export interface AnyFeature extends Omit<HubFeature, 'name' | 'start' | 'config'> {
  readonly name: string;
  readonly config?: FeatureConfig;
  start(context: HubContext, config: never): unknown;
}

/** Dependency order (stable: the list's order where nothing forces another); throws on a missing need or a cycle. */
export function orderFeatures(features: readonly AnyFeature[]): AnyFeature[] {
  const byName = new Map<string, AnyFeature>();
  for (const f of features) {
    if (byName.has(f.name)) throw new StewardError('INTERNAL', `feature ${f.name} is listed twice`);
    byName.set(f.name, f);
  }
  const ordered: AnyFeature[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: AnyFeature, path: string[]) => {
    if (state.get(f.name) === 'done') return;
    if (state.get(f.name) === 'visiting') throw new StewardError('INTERNAL', `features depend on each other: ${[...path, f.name].join(' → ')}`);
    state.set(f.name, 'visiting');
    for (const n of (f.needs ?? []) as readonly string[]) {
      const dep = byName.get(n);
      if (!dep) throw new StewardError('INTERNAL', `feature ${f.name} needs ${n}, which this hub does not have`);
      visit(dep, [...path, f.name]);
    }
    for (const n of (f.uses ?? []) as readonly string[]) {
      const dep = byName.get(n);
      if (dep) visit(dep, [...path, f.name]);
    }
    state.set(f.name, 'done');
    ordered.push(f);
  };
  for (const f of features) visit(f, []);
  return ordered;
}

export interface RunningFeatures {
  readonly context: HubContext;
  /** names in start order */
  readonly order: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts `features` in dependency order with `slices[feature.config.key]` (already validated), then `ready` on each.
 * On failure, what started is stopped in reverse and the error is rethrown.
 */
export async function startFeatures(
  features: readonly AnyFeature[],
  env: { logger: Logger; clock: Clock; dataDir: string; slices: Record<string, unknown> },
): Promise<RunningFeatures> {
  const ordered = orderFeatures(features);
  const provided = new Map<string, unknown>();
  const started: AnyFeature[] = [];
  const rejections = new Rejections(env.logger.child({ component: 'rejections' }), env.clock);
  const context: HubContext = {
    logger: env.logger,
    clock: env.clock,
    rejections,
    dataDir: env.dataDir,
    get<N extends FeatureName>(name: N): HubFeatures[N] {
      if (!provided.has(name)) throw new StewardError('INTERNAL', `feature ${name} is not started (list it in needs)`);
      return provided.get(name) as HubFeatures[N];
    },
    find<N extends FeatureName>(name: N): HubFeatures[N] | undefined {
      return provided.get(name) as HubFeatures[N] | undefined;
    },
    routes: (): FeatureRoutes[] => started.flatMap((f) => (f.routes ? [f.routes(context)] : [])),
  };
  const stop = async () => {
    while (started.length > 0) {
      const f = started.pop()!;
      provided.delete(f.name);
      try {
        await f.stop?.();
      } catch (err) {
        env.logger.warn({ err, feature: f.name }, 'stop failed');
      }
    }
    rejections.flush();
  };
  try {
    for (const f of ordered) {
      started.push(f);
      provided.set(f.name, await f.start(context, (f.config ? env.slices[f.config.key] : undefined) as never));
    }
    for (const f of ordered) await f.ready?.(context);
  } catch (e) {
    await stop();
    throw e;
  }
  return { context, order: ordered.map((f) => f.name), stop };
}
