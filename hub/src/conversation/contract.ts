/**
 * The conversation layer's boundaries: what POST /api/command takes and returns, and the gateway through which
 * actions reach devices (MQTT to node agents in the hub; nothing else in production).
 */
import { z } from 'zod';
import { ErrorBodySchema } from '@steward/device-adapters';
import { ActionResultSchema } from '../core/actions.ts';
import { LangTagSchema } from '../core/lang-tags.ts';

// shared with the rest of the hub: defined in the core, re-exported for the conversation layer's callers
export { ActionResultSchema, type ActionResult, type DeviceGateway } from '../core/actions.ts';

export const CommandTextRequestSchema = z
  .object({
    text: z.string().trim().min(1, 'text is empty').max(500, 'text is longer than 500 characters'),
    area: z.string().regex(/^[a-z0-9_]+$/).optional(),
    conversationId: z.string().min(1).max(100).optional(),
    /**
     * the language to answer in: en, zh, zh-TW or zh-HK (other spellings fold in: zh-Hant → zh-TW, yue → zh-HK);
     * without it, the language the text is written in
     */
    lang: LangTagSchema.optional(),
    /** the LLM planner: `auto` when the rules do not understand, `always`, or `never` (rules only) */
    planner: z.enum(['auto', 'always', 'never']).optional(),
  })
  .strict();
export type CommandTextRequest = z.infer<typeof CommandTextRequestSchema>;

/** a pending confirmation as clients see it (hub/src/conversation/confirmations.ts holds the records) */
export const ConfirmationRefSchema = z.object({
  confirmationId: z.string(),
  /** ISO 8601; the record is gone after it */
  expiresAt: z.string(),
  /** what would happen, in the request's language: "Unlock the front door" */
  summary: z.string(),
});
export type ConfirmationRef = z.infer<typeof ConfirmationRefSchema>;

export const CommandTextResponseSchema = z.object({
  conversationId: z.string(),
  reply: z.string(),
  actions: z.array(ActionResultSchema),
  awaitingConfirmation: z.boolean(),
  /** present while something waits for the owner's yes: settle it with POST /api/confirmations/:id or "yes"/"no" */
  confirmation: ConfirmationRefSchema.optional(),
  /** which path answered: the rule engine or the LLM planner */
  path: z.enum(['rules', 'planner']).optional(),
  /** planner path only: how the loop went */
  planner: z
    .object({
      backend: z.string(),
      steps: z.number().int(),
      stop: z.enum(['answered', 'asked', 'steps', 'tokens', 'time', 'cancelled', 'model']),
      promptTokens: z.number().int(),
      completionTokens: z.number().int(),
      error: ErrorBodySchema.optional(),
    })
    .optional(),
});
export type CommandTextResponse = z.infer<typeof CommandTextResponseSchema>;

/** Progress of a command while it runs (the planner's steps), streamed as server-sent events by POST /api/command. */
export interface CommandProgress {
  type: 'step' | 'tool_call' | 'tool_result';
  [field: string]: unknown;
}

/** Answers a command by whichever path fits (rules or planner): what POST /api/command calls when the hub has one. */
export interface CommandHandler {
  handle(req: CommandTextRequest, opts?: { signal?: AbortSignal; onEvent?: (e: CommandProgress) => void }): Promise<CommandTextResponse>;
}
