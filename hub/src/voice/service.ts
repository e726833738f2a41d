/**
 * One utterance through the hub: audio → checks → speech to text → (a sure transcript, or an unsure one whose
 * plan is harmless) the same conversation pipeline as text → reply → optional spoken reply. An unsure transcript
 * whose plan is sensitive is echoed back first ("Did you say …?"); the user's yes then runs it through the
 * pipeline, whose own confirmation rules still apply. A transcript is data: it only ever reaches the pipeline.
 */
import { randomUUID } from 'node:crypto';
import { StewardError, defaultConfirmRules, withExactSizes } from '@steward/device-adapters';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { DeviceGateway } from '../core/actions.ts';
import { splitByConfirmation } from '../conversation/confirmation.ts';
import type { ConversationPipeline } from '../conversation/pipeline.ts';
import type { DeviceAction, HomeView, Understanding } from '../understanding/contract.ts';
import type { LangTag } from '../core/lang-tags.ts';
import { languageOf } from '../understanding/languages/index.ts';
import { checkUtterance, toPcm16k } from './audio.ts';
import type { VoiceResponse } from './contract.ts';
import type { SpeechToText } from './stt/engine.ts';
import type { TextToSpeech } from './tts/engine.ts';

export interface VoiceRequest {
  audio: Buffer;
  mime: string;
  area?: string;
  conversationId?: string;
  lang?: LangTag;
  replyAudio?: boolean;
}

export interface VoiceServiceOptions {
  stt: SpeechToText;
  tts?: TextToSpeech;
  pipeline: ConversationPipeline;
  understanding: Understanding;
  view: HomeView;
  gateway: DeviceGateway;
  logger: Logger;
  clock: Clock;
  ffmpeg: string;
  /** below this confidence (or when the engine gives none) a sensitive plan is echoed back first */
  echoBelow: number;
  echoTtlMs?: number;
}

export interface VoiceService {
  handle(req: VoiceRequest): Promise<VoiceResponse>;
  readonly engine: string;
}

/** actions whose effect a misheard word must not cause unasked: confirm-listed ones, unlocking, opening a way in */
export function sensitiveActions(actions: readonly DeviceAction[], view: HomeView, state: (id: string) => Record<string, unknown> | undefined): DeviceAction[] {
  const { hold } = splitByConfirmation(actions, view, state as never);
  // the kinds that guard a way in or a supply by their declarations (a lock, a window, a garage door, a valve)
  const guarded = new Set(view.devices().filter((d) => defaultConfirmRules(d).length > 0).map((d) => d.id));
  const risky = actions.filter((a) => a.command === 'unlock' || (guarded.has(a.deviceId) && a.command !== 'lock' && a.command !== 'close'));
  return [...new Set([...hold, ...risky])];
}


export function createVoiceService(o: VoiceServiceOptions): VoiceService {
  const echoTtlMs = o.echoTtlMs ?? 60_000;
  /** conversationId → the unsure transcript waiting for "yes" */
  const echoes = new Map<string, { text: string; area?: string; expiresAt: number }>();

  async function handle(req: VoiceRequest): Promise<VoiceResponse> {
    const t0 = performance.now();
    const pcm = await toPcm16k(req.audio, req.mime, o.ffmpeg);
    const { durationMs } = checkUtterance(pcm);
    const t1 = performance.now();
    // the recogniser gets the language's code (zh-HK: zh, Whisper writes Cantonese in Chinese characters)
    const heard = await o.stt.transcribe(pcm, req.lang ? { lang: languageOf(req.lang).speech.sttLanguage } : {});
    const t2 = performance.now();
    const transcript = heard.text.trim();
    if (!transcript) throw new StewardError('BAD_REQUEST', 'no words were recognised in the audio; nothing was done', { reason: 'no_speech' });
    const conversationId = req.conversationId ?? randomUUID();
    const area = req.area;

    let text = transcript;
    let reply: Omit<VoiceResponse, 'transcript' | 'engine' | 'timings' | 'durationMs' | 'echoed' | 'confidence' | 'replyAudio' | 'lang'>;
    let echoed = false;
    const pendingEcho = echoes.get(conversationId);
    echoes.delete(conversationId);
    const interp = o.understanding.parse(transcript, { ...(area ? { area } : {}), ...(req.lang ? { lang: req.lang } : {}) });
    // the request's language, else the one the transcript is written in (its script: 閂燈 is zh-HK)
    const lang = interp.lang;
    const langOpt = req.lang ? { lang: req.lang } : {};
    const answer = interp.clauses.length === 1 ? interp.clauses[0]!.kind : undefined;
    if (pendingEcho && pendingEcho.expiresAt > o.clock.now() && (answer === 'confirm' || answer === 'deny')) {
      if (answer === 'confirm') {
        text = pendingEcho.text;
        reply = await o.pipeline.handle({ text, conversationId, ...(pendingEcho.area ? { area: pendingEcho.area } : {}), ...langOpt }, { source: 'voice' });
      } else {
        reply = { conversationId, reply: o.understanding.say(lang, { key: 'cancelled' }), actions: [], awaitingConfirmation: false };
      }
    } else {
      const unsure = heard.confidence === undefined || heard.confidence < o.echoBelow;
      const actions = interp.clauses.flatMap((c) => (c.kind === 'act' ? c.actions : []));
      if (unsure && sensitiveActions(actions, o.view, (id) => o.gateway.state(id)).length > 0) {
        echoes.set(conversationId, { text: transcript, ...(area ? { area } : {}), expiresAt: o.clock.now() + echoTtlMs });
        if (echoes.size > 1000) echoes.delete(echoes.keys().next().value!);
        echoed = true;
        reply = { conversationId, reply: o.understanding.say(lang, { key: 'heard', text: transcript }), actions: [], awaitingConfirmation: true };
        o.logger.info({ conversationId, transcript, confidence: heard.confidence }, 'unsure transcript of a sensitive command: echoed back');
      } else {
        reply = await o.pipeline.handle({ text: transcript, conversationId, ...(area ? { area } : {}), ...langOpt }, { source: 'voice' });
      }
    }
    const t3 = performance.now();
    let replyAudio: VoiceResponse['replyAudio'];
    let ttsMs: number | undefined;
    if (req.replyAudio) {
      if (!o.tts) throw new StewardError('BAD_REQUEST', 'reply=audio needs a text-to-speech engine; none is configured');
      // exact sizes in the header: a node plays (and checks) the reply as one whole file
      const wav = withExactSizes(await o.tts.synthesize(reply.reply, lang));
      replyAudio = { mime: 'audio/wav', base64: wav.toString('base64') };
      ttsMs = Math.round(performance.now() - t3);
    }
    const ms = (a: number, b: number) => Math.round(b - a);
    return {
      ...reply,
      transcript,
      engine: o.stt.name,
      ...(heard.confidence !== undefined ? { confidence: heard.confidence } : {}),
      echoed,
      durationMs,
      lang,
      timings: { audioMs: ms(t0, t1), sttMs: ms(t1, t2), commandMs: ms(t2, t3), ...(ttsMs !== undefined ? { ttsMs } : {}), totalMs: ms(t0, performance.now()) },
      ...(replyAudio ? { replyAudio } : {}),
    };
  }

  return { handle, engine: o.stt.name };
}
