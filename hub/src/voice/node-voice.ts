/**
 * Spoken commands from node agents (device-adapters protocol/voice.ts): chunks in on `steward/1/<node>/voice/req`
 * (the broker lets only that node publish there), checked and put together here, run through the same voice
 * service as POST /api/voice with the area of the device that heard them, and answered on the node's
 * `steward/1/<node>/voice/res` with the reply text and the spoken reply for its audioOutput (a long one in chunks
 * after the reply). Every refusal is
 * answered with a code and a message and executes nothing.
 */
import { createHash } from 'node:crypto';
import { ChunkAssembly, StewardError, VOICE_LIMITS, VoiceChunkSchema, parseVoiceTopic, voiceReplyChunks, voiceTopics, type VoiceChunk, type VoiceReply, type VoiceResMessage } from '@steward/device-adapters';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { langTagOf } from '../core/lang-tags.ts';
import type { DeviceRecord } from '../store/registry-store.ts';
import type { VoiceService } from './service.ts';

export interface NodeVoiceOptions {
  service: VoiceService;
  /** the device as the registry knows it (its node, area and traits) */
  device: (deviceId: string) => DeviceRecord | undefined;
  publish: (topic: string, payload: string) => Promise<void>;
  clock: Clock;
  logger: Logger;
  /** whether a spoken reply can be made (a TTS engine is configured) */
  speaks: boolean;
}

interface Assembly {
  first: VoiceChunk;
  chunks: ChunkAssembly;
  startedAt: number;
}

/** utterances being put together at once, per node */
const OPEN_PER_NODE = 2;

export function createNodeVoice(o: NodeVoiceOptions) {
  const open = new Map<string, Map<string, Assembly>>();
  const started = new Map<string, number[]>();
  /** utterances already refused (node/id → when): their other chunks are dropped without another reply */
  const refused = new Map<string, number>();

  const send = (nodeId: string, m: VoiceResMessage) =>
    o.publish(voiceTopics.reply(nodeId), JSON.stringify(m)).catch((e: Error) => o.logger.warn({ nodeId, err: e.message }, 'cannot send the voice reply'));
  const reply = (nodeId: string, r: VoiceReply) => send(nodeId, r);

  function refuse(nodeId: string, utteranceId: string | undefined, e: unknown): Promise<void> {
    const code = e instanceof StewardError ? e.code : 'INTERNAL';
    const message = (e as Error).message;
    o.logger.warn({ nodeId, utteranceId, code }, `utterance refused: ${message}`);
    if (utteranceId) {
      open.get(nodeId)?.delete(utteranceId);
      refused.set(`${nodeId}/${utteranceId}`, o.clock.now());
      if (refused.size > 1000) refused.delete(refused.keys().next().value!);
    }
    return reply(nodeId, { ok: false, ...(utteranceId ? { utteranceId } : {}), error: { code, message } });
  }

  function dropStale(nodeId: string, now: number): Map<string, Assembly> {
    let mine = open.get(nodeId);
    if (!mine) open.set(nodeId, (mine = new Map()));
    for (const [id, a] of mine) if (now - a.startedAt > VOICE_LIMITS.assembleMs) mine.delete(id);
    return mine;
  }

  /** a new utterance: within the node's rate, from its own microphone */
  function begin(nodeId: string, c: VoiceChunk, mine: Map<string, Assembly>, now: number): Assembly {
    const recent = (started.get(nodeId) ?? []).filter((t) => now - t < 60_000);
    started.set(nodeId, recent);
    if (recent.length >= VOICE_LIMITS.perMinute) throw new StewardError('RATE_LIMITED', `node ${nodeId} sent ${recent.length} utterances in the last minute (at most ${VOICE_LIMITS.perMinute})`);
    if (mine.size >= OPEN_PER_NODE) throw new StewardError('RATE_LIMITED', `node ${nodeId} already has ${mine.size} utterances on their way`);
    const device = o.device(c.deviceId);
    if (!device || device.nodeId !== nodeId) throw new StewardError('UNKNOWN_DEVICE', `node ${nodeId} has no device ${c.deviceId}`);
    if (!device.traits.includes('microphone')) throw new StewardError('UNSUPPORTED_COMMAND', `${c.deviceId} has no microphone`);
    if (c.lang !== undefined && !langTagOf(c.lang)) throw new StewardError('BAD_REQUEST', `unknown language "${c.lang}"`);
    recent.push(now);
    const a: Assembly = { first: c, chunks: new ChunkAssembly(c.total, c.totalBytes), startedAt: now };
    mine.set(c.utteranceId, a);
    return a;
  }

  async function onMessage(topic: string, payload: Buffer): Promise<void> {
    const t = parseVoiceTopic(topic);
    if (!t || t.end !== 'req') return;
    const { nodeId } = t;
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return refuse(nodeId, undefined, new StewardError('BAD_REQUEST', 'an utterance chunk must be JSON'));
    }
    const idGuess = typeof (json as { utteranceId?: unknown })?.utteranceId === 'string' ? (json as { utteranceId: string }).utteranceId : undefined;
    const refusedAt = idGuess === undefined ? undefined : refused.get(`${nodeId}/${idGuess}`);
    if (refusedAt !== undefined && o.clock.now() - refusedAt < VOICE_LIMITS.assembleMs) return;
    const parsed = VoiceChunkSchema.safeParse(json);
    if (!parsed.success) {
      const why = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(chunk)'}: ${i.message}`).join('; ');
      const tooBig = parsed.error.issues.some((i) => i.path[0] === 'totalBytes' && i.code === 'too_big');
      const safeId = idGuess && /^[A-Za-z0-9-]{8,64}$/.test(idGuess) ? idGuess : undefined;
      return refuse(nodeId, safeId, new StewardError(tooBig ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', `invalid utterance chunk: ${why}`));
    }
    const c = parsed.data;
    const now = o.clock.now();
    try {
      const mine = dropStale(nodeId, now);
      const a = mine.get(c.utteranceId) ?? begin(nodeId, c, mine, now);
      const f = a.first;
      if (c.deviceId !== f.deviceId || c.total !== f.total || c.totalBytes !== f.totalBytes || c.lang !== f.lang) throw new StewardError('BAD_REQUEST', 'a chunk disagrees with the first chunk of its utterance');
      let audio: Buffer | undefined;
      try {
        audio = a.chunks.add(c.seq, Buffer.from(c.data, 'base64'));
      } finally {
        // every chunk in: the utterance is done with, whether its size matched or not
        if (a.chunks.complete) mine.delete(c.utteranceId);
      }
      if (!audio) return;
      await run(nodeId, f, audio);
    } catch (e) {
      await refuse(nodeId, c.utteranceId, e);
    }
  }

  async function run(nodeId: string, f: VoiceChunk, audio: Buffer): Promise<void> {
    const device = o.device(f.deviceId)!;
    const lang = f.lang ? langTagOf(f.lang) : undefined;
    const r = await o.service.handle({ audio, mime: f.mime, area: device.area, ...(lang ? { lang } : {}), replyAudio: o.speaks });
    o.logger.info({ nodeId, deviceId: f.deviceId, area: device.area, transcript: r.transcript, actions: r.actions.length }, 'spoken command from a node');
    // the reply's own language (the utterance's, else the transcript's as understood), spoken in it
    const spoken = r.replyAudio ? Buffer.from(r.replyAudio.base64, 'base64') : undefined;
    const inline = spoken !== undefined && spoken.length <= VOICE_LIMITS.replyAudioBytes;
    const chunked = spoken !== undefined && !inline && spoken.length <= VOICE_LIMITS.replyChunkedBytes;
    if (spoken && !inline && !chunked) o.logger.warn({ nodeId, bytes: spoken.length }, `the spoken reply is over ${VOICE_LIMITS.replyChunkedBytes} bytes: sent as text only`);
    const chunks = chunked ? voiceReplyChunks(spoken, f.utteranceId) : [];
    await reply(nodeId, {
      ok: true,
      utteranceId: f.utteranceId,
      deviceId: f.deviceId,
      transcript: r.transcript,
      reply: r.reply,
      awaitingConfirmation: r.awaitingConfirmation,
      conversationId: r.conversationId,
      ...(inline ? { audio: { mime: 'audio/wav' as const, lang: r.lang, base64: r.replyAudio!.base64 } } : {}),
      ...(chunked ? { audioChunks: { mime: 'audio/wav' as const, lang: r.lang, total: chunks.length, bytes: spoken.length, sha256: createHash('sha256').update(spoken).digest('hex') } } : {}),
    });
    // after the reply that announces them, in order (one publisher, one topic, QoS 1)
    for (const c of chunks) await send(nodeId, c);
  }

  return { onMessage, subscription: `${voiceTopics.request('+')}` };
}
