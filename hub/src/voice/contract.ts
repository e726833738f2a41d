/** What POST /api/voice takes (query) and returns, and what a node's utterance carries: one zod source each. */
import { z } from 'zod';
import { CommandTextResponseSchema } from '../conversation/contract.ts';
import { LANG_TAGS, LangTagSchema } from '../core/lang-tags.ts';

export const VoiceQuerySchema = z
  .object({
    area: z.string().regex(/^[a-z0-9_]+$/, 'an area id (lower case, digits, _)').optional(),
    conversationId: z.string().min(1).max(100).optional(),
    /** en, zh, zh-TW or zh-HK (zh-Hant, yue and other spellings fold in) */
    lang: LangTagSchema.optional(),
    reply: z.enum(['text', 'audio']).default('text'),
  })
  .strict();
export type VoiceQuery = z.infer<typeof VoiceQuerySchema>;

export const VoiceTimingsSchema = z.object({
  /** container decoding, resampling and checks */
  audioMs: z.number(),
  sttMs: z.number(),
  commandMs: z.number(),
  ttsMs: z.number().optional(),
  totalMs: z.number(),
});

export const VoiceResponseSchema = CommandTextResponseSchema.extend({
  transcript: z.string(),
  engine: z.string(),
  confidence: z.number().min(0).max(1).optional(),
  /** the hub asked "Did you say …?" instead of acting: the transcript was unsure and the plan sensitive */
  echoed: z.boolean(),
  durationMs: z.number(),
  /** the reply's language, spoken in it: the request's, else the one the transcript was understood in */
  lang: z.enum(LANG_TAGS),
  timings: VoiceTimingsSchema,
  replyAudio: z.object({ mime: z.literal('audio/wav'), base64: z.string() }).optional(),
});
export type VoiceResponse = z.infer<typeof VoiceResponseSchema>;

export const MAX_AUDIO_BYTES = 2 * 1024 * 1024;
