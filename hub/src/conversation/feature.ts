import { z } from 'zod';
import type { ActionResult, ExecutedContext } from '../core/actions.ts';
import { defineFeature } from '../core/feature.ts';
import { Signal } from '../core/signal.ts';
import { IGNORED_TURN, type TurnObserver } from './observer.ts';
import { waitUntilNone } from '../core/wait.ts';
import { createConversationPipeline, type ConversationPipeline } from './pipeline.ts';
import { SqliteScheduleStore } from './schedule-store.ts';
import { SqliteConfirmationRecords } from './confirmation-store.ts';

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

/**
 * Text → understanding → confirmation gate → gateway → reply; memory, schedules, and the hub's one store of
 * pending confirmations (sentences, scenes, the device API and the planner all hold there). Schedules are kept in
 * the store's SQLite, so they survive a restart: restored in `ready`, once the hub runs.
 */
export const conversationFeature = () => {
  let pipeline: ConversationPipeline | undefined;
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
      pipeline = createConversationPipeline({
        understanding: ctx.get('understanding'),
        gateway: ctx.get('gateway'),
        view: registry,
        logger: log,
        timers: ctx.clock,
        confirmTtlMs: config.confirmTtlMs,
        // pending confirmations survive a restart with their own expiry (restored here, before the API serves)
        confirmationRecords: new SqliteConfirmationRecords(ctx.get('store').db),
        onExecuted: (result, context) => executed.emit({ result, context }, (err) => log.error({ err }, 'a listener of executed actions failed')),
        observer: { begin: (turn) => observer?.begin(turn) ?? IGNORED_TURN },
        schedules: new SqliteScheduleStore(ctx.get('store').db),
        scheduleGraceMs: config.scheduleGraceMs,
        // a due schedule waits (within its grace period) for its devices' nodes, e.g. reconnecting after a restart
        whenReachable: (deviceIds, timeoutMs) => {
          const nodes = [...new Set(deviceIds.flatMap((id) => registry.device(id)?.nodeId ?? []))];
          return waitUntilNone(() => nodes.filter((n) => !registry.isOnline(n)), registry.presenceChanged, ctx.clock, timeoutMs, 'nodes not online');
        },
      });
      const observe = (o: TurnObserver) => {
        observer = o;
        return () => {
          if (observer === o) observer = undefined;
        };
      };
      return { pipeline, executed, observe };
    },
    ready() {
      // schedules kept from before a restart: due ones run now if within the grace period, otherwise are missed
      pipeline?.schedules.restore();
    },
    stop() {
      pipeline?.close();
      pipeline = undefined;
    },
  });
};
