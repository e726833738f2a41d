import { z } from 'zod';
import { DEVICE_ID } from '../ids.ts';
import { RPC_ROOT } from './topics.ts';

/**
 * Spoken commands from a node's microphone (the `microphone` trait) and the hub's spoken reply for its
 * `audioOutput`. The node publishes the utterance in chunks on `steward/1/<node>/voice/req` (its ACL allows that
 * topic for that node alone); the hub answers on `steward/1/<node>/voice/res`, which only that node may read.
 * Each chunk is a small JSON message, so one utterance never needs a packet near the broker's limit.
 */
export const VOICE_LIMITS = {
  /** the whole utterance, as /api/voice takes it */
  utteranceBytes: 2 * 1024 * 1024,
  /** raw audio bytes in one chunk (base64 on the wire) */
  chunkBytes: 64 * 1024,
  /** chunks in one utterance: utteranceBytes / chunkBytes */
  chunks: 32,
  /** utterances a node may start per minute */
  perMinute: 6,
  /** an utterance whose chunks stop coming is dropped after this */
  assembleMs: 10_000,
  /** the spoken reply's audio inside the reply message; a longer one follows it in chunks */
  replyAudioBytes: 320 * 1024,
  /** a spoken reply in chunks: at most this much audio (about 47 s of 22.05 kHz speech); longer goes as text only */
  replyChunkedBytes: 2 * 1024 * 1024,
  /** chunks of one spoken reply: replyChunkedBytes / chunkBytes */
  replyChunks: 32,
} as const;

export const voiceTopics = {
  request: (nodeId: string) => `${RPC_ROOT}/${nodeId}/voice/req`,
  reply: (nodeId: string) => `${RPC_ROOT}/${nodeId}/voice/res`,
};

export function parseVoiceTopic(topic: string): { nodeId: string; end: 'req' | 'res' } | undefined {
  const p = topic.split('/');
  if (p.length === 5 && `${p[0]}/${p[1]}` === RPC_ROOT && p[2] && p[3] === 'voice' && (p[4] === 'req' || p[4] === 'res')) return { nodeId: p[2], end: p[4] };
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
export const UtteranceIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'an utterance id is 8 to 64 letters, digits or -');

export const VoiceChunkSchema = z
  .object({
    utteranceId: UtteranceIdSchema,
    /** the node's device whose microphone heard it: its area is the command's area */
    deviceId: z.string().regex(DEVICE_ID),
    /** en, zh, zh-TW, zh-HK (the hub folds other spellings in) */
    lang: z.string().min(2).max(16).optional(),
    mime: z.literal('audio/wav'),
    seq: z.number().int().min(0).max(VOICE_LIMITS.chunks - 1),
    total: z.number().int().min(1).max(VOICE_LIMITS.chunks),
    /** the whole utterance's size, said up front so an oversized one is refused at its first chunk */
    totalBytes: z.number().int().min(1).max(VOICE_LIMITS.utteranceBytes, `an utterance is at most ${VOICE_LIMITS.utteranceBytes} bytes`),
    data: z.string().min(1).max(Math.ceil(VOICE_LIMITS.chunkBytes / 3) * 4).regex(BASE64, 'data is base64'),
  })
  .strict()
  .refine((c) => c.seq < c.total, { message: 'seq must be below total', path: ['seq'] });
export type VoiceChunk = z.infer<typeof VoiceChunkSchema>;

export const VoiceReplySchema = z.discriminatedUnion('ok', [
  z
    .object({
      ok: z.literal(true),
      utteranceId: UtteranceIdSchema,
      deviceId: z.string().regex(DEVICE_ID),
      transcript: z.string(),
      reply: z.string(),
      awaitingConfirmation: z.boolean(),
      conversationId: z.string(),
      /** the spoken reply, in the language of the reply (the utterance's, else the one the hub understood) */
      audio: z.object({ mime: z.literal('audio/wav'), lang: z.string(), base64: z.string().regex(BASE64) }).strict().optional(),
      /**
       * a spoken reply too long for this message: it follows in `total` VoiceReplyChunk messages on the same topic;
       * the node plays it only once every chunk has come and the whole matches `bytes` and `sha256`
       */
      audioChunks: z
        .object({
          mime: z.literal('audio/wav'),
          lang: z.string(),
          total: z.number().int().min(1).max(VOICE_LIMITS.replyChunks),
          bytes: z.number().int().min(1).max(VOICE_LIMITS.replyChunkedBytes),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lower-case hex digits'),
        })
        .strict()
        .optional(),
    })
    .strict()
    .refine((r) => !(r.audio && r.audioChunks), { message: 'a reply carries its audio inline or in chunks, not both', path: ['audioChunks'] }),
  z
    .object({
      ok: z.literal(false),
      /** absent when the request was too broken to carry one */
      utteranceId: UtteranceIdSchema.optional(),
      error: z.object({ code: z.string(), message: z.string() }).strict(),
    })
    .strict(),
]);
export type VoiceReply = z.infer<typeof VoiceReplySchema>;

/** One piece of a long spoken reply, after its VoiceReply (which says how many there are) on `voice/res`. */
export const VoiceReplyChunkSchema = z
  .object({
    kind: z.literal('replyAudio'),
    utteranceId: UtteranceIdSchema,
    seq: z.number().int().min(0).max(VOICE_LIMITS.replyChunks - 1),
    data: z.string().min(1).max(Math.ceil(VOICE_LIMITS.chunkBytes / 3) * 4).regex(BASE64, 'data is base64'),
  })
  .strict();
export type VoiceReplyChunk = z.infer<typeof VoiceReplyChunkSchema>;

/** everything the hub sends on a node's `voice/res` */
export const VoiceResMessageSchema = z.union([VoiceReplySchema, VoiceReplyChunkSchema]);
export type VoiceResMessage = z.infer<typeof VoiceResMessageSchema>;

/** Splits a long spoken reply into chunk messages (the hub's side). */
export function voiceReplyChunks(audio: Buffer, utteranceId: string): VoiceReplyChunk[] {
  const total = Math.max(1, Math.ceil(audio.length / VOICE_LIMITS.chunkBytes));
  return Array.from({ length: total }, (_, seq) => ({
    kind: 'replyAudio' as const,
    utteranceId,
    seq,
    data: audio.subarray(seq * VOICE_LIMITS.chunkBytes, (seq + 1) * VOICE_LIMITS.chunkBytes).toString('base64'),
  }));
}

/** Splits a WAV into chunk messages (the node's side). */
export function voiceChunks(audio: Buffer, meta: { utteranceId: string; deviceId: string; lang?: string }): VoiceChunk[] {
  const total = Math.max(1, Math.ceil(audio.length / VOICE_LIMITS.chunkBytes));
  return Array.from({ length: total }, (_, seq) => ({
    utteranceId: meta.utteranceId,
    deviceId: meta.deviceId,
    ...(meta.lang ? { lang: meta.lang } : {}),
    mime: 'audio/wav' as const,
    seq,
    total,
    totalBytes: audio.length,
    data: audio.subarray(seq * VOICE_LIMITS.chunkBytes, (seq + 1) * VOICE_LIMITS.chunkBytes).toString('base64'),
  }));
}
