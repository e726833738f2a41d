import type { ActionResult } from '../core/actions.ts';
import { defineFeature } from '../core/feature.ts';
import { Signal } from '../core/signal.ts';
import { createConversationPipeline, type ConversationPipeline } from './pipeline.ts';

/** one action the pipeline executed, with where it came from */
export interface ExecutedAction {
  result: ActionResult;
  context: { conversationId: string; confirmed: boolean; scheduled: boolean };
}

export interface ConversationProvides {
  pipeline: ConversationPipeline;
  /**
   * every action the pipeline executed (also scheduled and confirmed ones): other features hook in here from
   * their `ready` (the security feature audits sensitive ones) instead of into the pipeline's construction
   */
  executed: Signal<ExecutedAction>;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    conversation: ConversationProvides;
  }
}

/** Text → understanding → confirmation gate → gateway → reply; memory, pending confirmations and schedules. */
export const conversationFeature = () => {
  let pipeline: ConversationPipeline | undefined;
  return defineFeature({
    name: 'conversation',
    needs: ['understanding', 'gateway', 'registry'],
    start(ctx) {
      const executed = new Signal<ExecutedAction>();
      const log = ctx.logger.child({ component: 'conversation' });
      pipeline = createConversationPipeline({
        understanding: ctx.get('understanding'),
        gateway: ctx.get('gateway'),
        view: ctx.get('registry'),
        logger: log,
        timers: ctx.clock,
        onExecuted: (result, context) => executed.emit({ result, context }, (err) => log.error({ err }, 'a listener of executed actions failed')),
      });
      return { pipeline, executed };
    },
    stop() {
      pipeline?.close();
      pipeline = undefined;
    },
  });
};
