/**
 * The trajectory seam shared by the rule path (conversation pipeline) and the planner loop: every request leaves
 * one trajectory (input, parse or model messages, tool calls with results, confirmations, replies, corrections,
 * timings, tokens). Shapes are shared with hub/src/planner (see PLANNER-INTERFACES.md): keep changes backward
 * compatible. It lives in the core because the planner and trajectories both use it; hub/src/trajectories/recorder.ts
 * re-exports it, and the SQLite-backed recorder lives in hub/src/trajectories.
 */
import { z } from 'zod';
import { ChatMessageSchema } from './chat.ts';

const UsageSchema = z.object({ promptTokens: z.number(), completionTokens: z.number() });

export const TrajectoryStepSchema = z.discriminatedUnion('kind', [
  /** rule path: what understanding made of the text (its clauses) */
  z.object({ kind: z.literal('parse'), at: z.number(), clauses: z.unknown() }),
  /** planner: the messages of one model turn (what it was sent and what it answered) */
  z.object({ kind: z.literal('model'), at: z.number(), messages: z.array(ChatMessageSchema), usage: UsageSchema.optional(), ms: z.number() }),
  z.object({
    kind: z.literal('tool_call'),
    at: z.number(),
    id: z.string(),
    name: z.string(),
    arguments: z.unknown(),
    result: z.unknown(),
    ok: z.boolean(),
    ms: z.number(),
  }),
  z.object({
    kind: z.literal('confirmation'),
    at: z.number(),
    confirmationId: z.string().optional(),
    decision: z.enum(['requested', 'confirm', 'cancel', 'expired']),
  }),
  z.object({ kind: z.literal('reply'), at: z.number(), text: z.string() }),
  /** a follow-up that corrects the previous request ("no, the other one"), appended to that request's trajectory */
  z.object({ kind: z.literal('correction'), at: z.number(), text: z.string() }),
]);
export type TrajectoryStep = z.infer<typeof TrajectoryStepSchema>;

export const TrajectorySourceSchema = z.enum(['text', 'voice', 'api']);
export const TrajectoryPathSchema = z.enum(['rules', 'planner']);

export interface TrajectoryStart {
  conversationId: string;
  /** the text typed, or the transcript of what was said */
  text: string;
  lang: string;
  area?: string;
  source: z.infer<typeof TrajectorySourceSchema>;
  path: z.infer<typeof TrajectoryPathSchema>;
}

export interface TrajectoryOutcome {
  reply: string;
  ok: boolean;
  tokens?: { prompt: number; completion: number };
}

export interface TrajectoryHandle {
  readonly id: string;
  step(s: TrajectoryStep): void;
  /** commits to SQLite synchronously before the response is sent */
  finish(outcome: TrajectoryOutcome): void;
}

export interface TrajectoryRecorder {
  begin(start: TrajectoryStart): TrajectoryHandle;
}

/** For hubs and tests that keep no trajectories: every call is accepted and nothing is kept. */
export const noTrajectories: TrajectoryRecorder = {
  begin: () => ({ id: '', step: () => {}, finish: () => {} }),
};
