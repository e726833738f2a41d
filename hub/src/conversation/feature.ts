import { z } from 'zod';
import type { ActionResult, ExecutedContext } from '../core/actions.ts';
import { defineFeature } from '../core/feature.ts';
import { Signal } from '../core/signal.ts';
import { IGNORED_TURN, type TurnObserver } from './observer.ts';
import { createConversationPipeline, type ConversationPipeline } from './pipeline.ts';

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
  })
  .strict();

/**
 * Text → understanding → confirmation gate → gateway → reply; memory, schedules, and the hub's one store of
 * pending confirmations (sentences, scenes, the device API and the planner all hold there).
 */
export const conversationFeature = () => {
  let pipeline: ConversationPipeline | undefined;
  return defineFeature({
    name: 'conversation',
    needs: ['understanding', 'gateway', 'registry'],
    config: {
      key: 'conversation',
      schema: ConversationConfigSchema,
      options: [{ flag: 'confirm-ttl-ms', field: 'confirmTtlMs', kind: 'number', value: 'MS', help: "how long a change listed under confirm waits for the owner's yes (default 60000)" }],
    },
    start(ctx, config) {
      const executed = new Signal<ExecutedAction>();
      let observer: TurnObserver | undefined;
      const log = ctx.logger.child({ component: 'conversation' });
      pipeline = createConversationPipeline({
        understanding: ctx.get('understanding'),
        gateway: ctx.get('gateway'),
        view: ctx.get('registry'),
        logger: log,
        timers: ctx.clock,
        confirmTtlMs: config.confirmTtlMs,
        onExecuted: (result, context) => executed.emit({ result, context }, (err) => log.error({ err }, 'a listener of executed actions failed')),
        observer: { begin: (turn) => observer?.begin(turn) ?? IGNORED_TURN },
      });
      const observe = (o: TurnObserver) => {
        observer = o;
        return () => {
          if (observer === o) observer = undefined;
        };
      };
      return { pipeline, executed, observe };
    },
    stop() {
      pipeline?.close();
      pipeline = undefined;
    },
  });
};
