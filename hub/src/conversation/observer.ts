/**
 * A turn observer watches one command's way through the pipeline as it happens (the trajectories feature records
 * it): the parse, each action sent and its acknowledgement, scheduled actions, confirmations, the response. Its
 * calls are synchronous, and `end` runs before the reply leaves.
 */
import type { DeviceAction, Interpretation } from '../understanding/contract.ts';
import type { ActionResult, CommandTextResponse, DeviceGateway } from './contract.ts';

/** What a turn observer hears; none of its calls may throw or change the turn. */
export interface TurnObserver {
  /** `source`: how the text came (`voice`: a transcript); unset for typed text from the API */
  begin(turn: { conversationId: string; text: string; area?: string; interpretation: Interpretation; source?: 'voice' }): TurnWatch;
}
export interface TurnWatch {
  /** an action is sent now; the returned function hears its result */
  action(action: DeviceAction): (result: ActionResult) => void;
  scheduled(actions: DeviceAction[], delayMs: number): void;
  confirmation(decision: 'requested' | 'confirm' | 'cancel' | 'expired', confirmationId: string | undefined): void;
  end(response: CommandTextResponse): void;
}

/** the gateway as one turn's actions see it: each execution is reported to the watch */
export function watched(gateway: DeviceGateway, watch: TurnWatch | undefined): DeviceGateway {
  if (!watch) return gateway;
  return {
    state: (id) => gateway.state(id),
    execute: async (a) => {
      const done = watch.action(a);
      const r = await gateway.execute(a);
      done(r);
      return r;
    },
  };
}

/** for a pipeline nobody watches */
export const IGNORED_TURN: TurnWatch = { action: () => () => {}, scheduled: () => {}, confirmation: () => {}, end: () => {} };
