import { z } from 'zod';
import type { ActionResult, ExecutedContext } from '../core/actions.ts';
import { defineFeature } from '../core/feature.ts';
import { Signal } from '../core/signal.ts';
import { IGNORED_TURN, type TurnObserver } from './observer.ts';
import { waitUntilNone } from '../core/wait.ts';
import { createConversationPipeline, type ConversationPipeline } from './pipeline.ts';
import { SqliteScheduleStore } from './schedule-store.ts';
import { SqliteConfirmationRecords } from './confirmation-store.ts';
import { TEST_EXIT_ENV, withTestCrash } from './test-crash.ts';
import type { State } from '@steward/device-adapters';

/** one action the pipeline executed, with where it came from (and, once confirmed, who said yes) */
export interface ExecutedAction {
  result: ActionResult;
  context: ExecutedContext;
}

export interface ConversationProvides {
  pipeline: ConversationPipeline;
  /**
   * every action the pipeline executed (also scheduled and confirmed ones): other features hook in here from
   * their `ready` (the security feature audits sensitive ones) instead of into the pipeline's construction
   */
  executed: Signal<ExecutedAction>;
  /** watch every turn as it happens (the trajectories feature records them); one observer at a time */
  observe(observer: TurnObserver): () => void;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    conversation: ConversationProvides;
  }
}

export const ConversationConfigSchema = z
  .object({
    /** how long a change listed under `confirm` waits for the owner's yes, whatever path made it (tests shorten it) */
    confirmTtlMs: z.number().int().positive().max(3_600_000).default(60_000),
    /**
     * a scheduled command that fell due while the hub was down still runs after a restart when it is at most this
     * late; later than that it is recorded as missed (GET /api/schedules)
     */
    scheduleGraceMs: z.number().int().min(0).max(24 * 3_600_000).default(120_000),
  })
  .strict();

type Ctx = Parameters<NonNullable<ReturnType<typeof conversationFeature>['ready']>>[0];

/** resolves when the devices' nodes are online; rejects after `timeoutMs` */
function whenReachable(ctx: Ctx, deviceIds: readonly string[], timeoutMs: number): Promise<void> {
  const registry = ctx.get('registry');
  const nodes = [...new Set(deviceIds.flatMap((id) => registry.device(id)?.nodeId ?? []))];
  return waitUntilNone(() => nodes.filter((n) => !registry.isOnline(n)), registry.presenceChanged, ctx.clock, timeoutMs, 'nodes not online');
}

/**
 * What the devices' nodes report now (their snapshot, targets over values, as the reconciler reads them), not what
 * the hub last acknowledged: after a crash the node may have acted on a command whose acknowledgement was lost.
 * Devices of an offline node, or one that does not answer, are left out (unknown).
 */
async function nodeStates(ctx: Ctx, deviceIds: readonly string[]): Promise<Map<string, State>> {
  const registry = ctx.get('registry');
  const rpc = ctx.find('transport')?.rpc;
  const out = new Map<string, State>();
  const nodes = [...new Set(deviceIds.flatMap((id) => registry.device(id)?.nodeId ?? []))];
  for (const nodeId of nodes) {
    if (!rpc || !registry.isOnline(nodeId)) continue;
    const snap = await rpc.call(nodeId, 'snapshot', {}, `node ${nodeId}`).catch(() => undefined);
    for (const [deviceId, s] of Object.entries(snap?.devices ?? {})) {
      if (!deviceIds.includes(deviceId) || registry.device(deviceId)?.nodeId !== nodeId) continue;
      out.set(deviceId, { ...s.state, ...Object.fromEntries(Object.entries(s.targets).filter(([, v]) => v !== null)) } as State);
    }
  }
  return out;
}

/**
 * Text → understanding → confirmation gate → gateway → reply; memory, schedules, and the hub's one store of
 * pending confirmations (sentences, scenes, the device API and the planner all hold there). Schedules are kept in
 * the store's SQLite, so they survive a restart: restored in `ready`, once the hub runs.
 */
export const conversationFeature = () => {
  let pipeline: ConversationPipeline | undefined;
  let graceMs = 120_000;
  return defineFeature({
    name: 'conversation',
    needs: ['understanding', 'gateway', 'registry', 'store'],
    config: {
      key: 'conversation',
      schema: ConversationConfigSchema,
      options: [
        { flag: 'confirm-ttl-ms', field: 'confirmTtlMs', kind: 'number', value: 'MS', help: "how long a change listed under confirm waits for the owner's yes (default 60000)" },
        {
          flag: 'schedule-grace-ms',
          field: 'scheduleGraceMs',
          kind: 'number',
          value: 'MS',
          help: 'a scheduled command due while the hub was down still runs when at most this late (default 120000); later, it is recorded as missed',
        },
      ],
    },
    start(ctx, config) {
      const executed = new Signal<ExecutedAction>();
      let observer: TurnObserver | undefined;
      const log = ctx.logger.child({ component: 'conversation' });
      const registry = ctx.get('registry');
      graceMs = config.scheduleGraceMs;
      const records = new SqliteConfirmationRecords(ctx.get('store').db);
      pipeline = createConversationPipeline({
        understanding: ctx.get('understanding'),
        gateway: ctx.get('gateway'),
        view: registry,
        logger: log,
        timers: ctx.clock,
        confirmTtlMs: config.confirmTtlMs,
        // pending confirmations survive a restart with their own expiry (restored here, before the API serves)
        // (a test-only environment variable can make the hub kill itself at a crash point of a yes: test-crash.ts)
        confirmationRecords: withTestCrash(records, process.env[TEST_EXIT_ENV], (m) => process.stderr.write(`${m}\n`)),
        onExecuted: (result, context) => executed.emit({ result, context }, (err) => log.error({ err }, 'a listener of executed actions failed')),
        observer: { begin: (turn) => observer?.begin(turn) ?? IGNORED_TURN },
        schedules: new SqliteScheduleStore(ctx.get('store').db),
        scheduleGraceMs: config.scheduleGraceMs,
        // a due schedule waits (within its grace period) for its devices' nodes, e.g. reconnecting after a restart
        whenReachable: (deviceIds, timeoutMs) => whenReachable(ctx, deviceIds, timeoutMs),
      });
      const observe = (o: TurnObserver) => {
        observer = o;
        return () => {
          if (observer === o) observer = undefined;
        };
      };
      return { pipeline, executed, observe };
    },
    ready(ctx) {
      // schedules kept from before a restart: due ones run now if within the grace period, otherwise are missed
      pipeline?.schedules.restore();
      // a yes cut short by a stop of the hub: settled once its devices' nodes answer (within the grace period)
      const log = ctx.logger.child({ component: 'conversation' });
      pipeline
        ?.settleInterrupted(async (deviceIds) => {
          await whenReachable(ctx, deviceIds, graceMs).catch(() => undefined);
          return nodeStates(ctx, deviceIds);
        })
        .catch((err: unknown) => log.error({ err }, 'settling confirmations cut short by a stop failed'));
    },
    stop() {
      pipeline?.close();
      pipeline = undefined;
    },
  });
};
