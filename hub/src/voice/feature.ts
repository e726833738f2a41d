import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { HomeView } from '../understanding/contract.ts';
import { StewardError } from '@steward/device-adapters';
import { keyedConfig } from '../core/feature-options.ts';
import { defineFeature } from '../core/feature.ts';
import { createVoiceService, type VoiceService } from './service.ts';
import { voiceRoutes, VOICE_ROUTE_DOCS } from './routes.ts';
import type { SpeechToText } from './stt/engine.ts';
import { createPocketsphinx, POCKETSPHINX_DICT } from './stt/pocketsphinx.ts';
import type { TextToSpeech } from './tts/engine.ts';
import { createEspeakTts } from './tts/espeak.ts';
import { createOpenAiTts } from './tts/openai.ts';
import { createWyomingTts } from './tts/wyoming.ts';
import { createOpenAiStt } from './stt/openai.ts';
import { createWyomingStt } from './stt/wyoming.ts';
import { createSherpaStt } from './stt/sherpa.ts';
import { SHERPA_FAMILIES, sherpaLayout } from './stt/sherpa-model.ts';
import { findExecutable, missingPackages } from './tools.ts';
import { createNodeVoice } from './node-voice.ts';

export interface VoiceProvides {
  /** undefined when voice is disabled; `disabledReason` says why */
  service: VoiceService | undefined;
  disabledReason: string | undefined;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    voice: VoiceProvides;
  }
}

export const VoiceConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** speech to text: the offline English default, or an engine by URL / model folder */
    stt: z.enum(['pocketsphinx', 'openai', 'wyoming', 'sherpa-onnx']).default('pocketsphinx'),
    /** openai: base URL of an OpenAI-compatible server (…/v1); wyoming: tcp://host:port */
    sttUrl: z.string().min(1).optional(),
    sttModel: z.string().min(1).default('whisper-1'),
    /** sherpa-onnx: the model folder the user supplies */
    sttModelDir: z.string().min(1).optional(),
    /** sherpa-onnx: which layout the folder holds; auto tells it from the file names and the model's metadata */
    sttModelFamily: z.enum(SHERPA_FAMILIES).default('auto'),
    /** sherpa-onnx: a silero_vad.onnx that cuts silence and splits long audio (default: the model folder's, else the one install:voice-sherpa fetched); 'none': no VAD */
    sttVadModel: z.string().min(1).optional(),
    /** sherpa-onnx: the languages the model is for (en, zh); requests in others are refused. Default: any */
    sttLanguages: z.array(z.string().regex(/^[a-z]{2,3}$/)).min(1).optional(),
    tts: z.enum(['espeak', 'openai', 'wyoming', 'none']).default('espeak'),
    ttsUrl: z.string().min(1).optional(),
    ttsVoice: z.string().min(1).optional(),
    /** bearer key for OpenAI-compatible servers that want one */
    apiKey: z.string().min(1).optional(),
    pocketsphinxBin: z.string().min(1).default('pocketsphinx_batch'),
    pocketsphinxDict: z.string().min(1).default(POCKETSPHINX_DICT),
    ffmpegBin: z.string().min(1).default('ffmpeg'),
    espeakBin: z.string().min(1).default('espeak-ng'),
    /** a sensitive plan from a transcript less sure than this is echoed back first ("Did you say …?") */
    echoBelow: z.number().min(0).max(1).default(0.6),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.stt === 'openai' || c.stt === 'wyoming') && !c.sttUrl) ctx.addIssue({ code: 'custom', path: ['sttUrl'], message: `the ${c.stt} engine needs --voice-stt-url (${c.stt === 'openai' ? 'http://host:port/v1' : 'tcp://host:port'})` });
    if (c.stt === 'wyoming' && c.sttUrl && !c.sttUrl.startsWith('tcp://')) ctx.addIssue({ code: 'custom', path: ['sttUrl'], message: 'a Wyoming address is tcp://host:port' });
    if (c.stt === 'sherpa-onnx' && !c.sttModelDir) ctx.addIssue({ code: 'custom', path: ['sttModelDir'], message: 'the sherpa-onnx engine needs a model folder (--voice-stt-model-dir DIR: a sherpa-onnx model you downloaded, see docs/voice.md)' });
    // a folder named but absent is the same mistake: refuse at start, not on the first utterance
    else if (c.stt === 'sherpa-onnx' && c.sttModelDir && !existsSync(c.sttModelDir)) ctx.addIssue({ code: 'custom', path: ['sttModelDir'], message: `the sherpa-onnx model folder ${c.sttModelDir} does not exist` });
    else if (c.stt === 'sherpa-onnx' && c.sttModelDir) {
      // the files a model of its family needs, by name; their content is checked when the model loads
      try {
        sherpaLayout(c.sttModelDir, c.sttModelFamily);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['sttModelDir'], message: (e as Error).message.replace(/^voice\.sttModelDir: /, '') });
      }
    }
    if (c.stt === 'sherpa-onnx' && c.sttVadModel && c.sttVadModel !== 'none' && !existsSync(c.sttVadModel)) ctx.addIssue({ code: 'custom', path: ['sttVadModel'], message: `the voice-activity model ${c.sttVadModel} does not exist (a silero_vad.onnx, see docs/voice.md)` });
    if ((c.tts === 'openai' || c.tts === 'wyoming') && !c.ttsUrl) ctx.addIssue({ code: 'custom', path: ['ttsUrl'], message: `the ${c.tts} voice needs --voice-tts-url` });
  });
export type VoiceConfig = z.infer<typeof VoiceConfigSchema>;

/** the engines a configuration names; StewardError('UNAVAILABLE') with what to install or set when it cannot */
export function voiceEngines(config: VoiceConfig, deps: { view: HomeView; logger: Logger }): { stt: SpeechToText; tts?: TextToSpeech } {
  const need: Record<string, string> = { ffmpeg: config.ffmpegBin };
  const files: Record<string, string> = {};
  if (config.stt === 'pocketsphinx') {
    need.pocketsphinx_batch = config.pocketsphinxBin;
    files['pocketsphinx-en-us'] = config.pocketsphinxDict;
  }
  if (config.tts === 'espeak') need['espeak-ng'] = config.espeakBin;
  const missing = missingPackages(need, files);
  if (missing.length) {
    throw new StewardError('UNAVAILABLE', `voice is disabled: install the Debian packages ${missing.join(' ')} (apt-get install ${missing.join(' ')}, or scripts/setup-system.sh)`);
  }
  let stt: SpeechToText;
  switch (config.stt) {
    case 'pocketsphinx':
      stt = createPocketsphinx({ ...deps, binary: findExecutable(config.pocketsphinxBin)!, dictFile: config.pocketsphinxDict });
      break;
    case 'openai':
      stt = createOpenAiStt({ url: config.sttUrl!, model: config.sttModel, ...(config.apiKey ? { apiKey: config.apiKey } : {}) });
      break;
    case 'wyoming':
      stt = createWyomingStt({ url: config.sttUrl! });
      break;
    case 'sherpa-onnx':
      stt = createSherpaStt({
        modelDir: config.sttModelDir!,
        family: config.sttModelFamily,
        ...(config.sttVadModel ? { vadModel: config.sttVadModel === 'none' ? false : config.sttVadModel } : {}),
        ...(config.sttLanguages ? { languages: config.sttLanguages } : {}),
        logger: deps.logger,
      });
      break;
  }
  let tts: TextToSpeech | undefined;
  if (config.tts === 'espeak') tts = createEspeakTts({ binary: findExecutable(config.espeakBin)!, ...(config.ttsVoice ? { englishVoice: config.ttsVoice } : {}) });
  if (config.tts === 'openai') tts = createOpenAiTts({ url: config.ttsUrl!, ...(config.ttsVoice ? { voice: config.ttsVoice } : {}), ...(config.apiKey ? { apiKey: config.apiKey } : {}) });
  if (config.tts === 'wyoming') tts = createWyomingTts({ url: config.ttsUrl!, ...(config.ttsVoice ? { voice: config.ttsVoice } : {}) });
  return { stt, ...(tts ? { tts } : {}) };
}

/**
 * Voice: POST /api/voice and (with node agents that have a microphone) spoken commands over MQTT. Without the
 * speech tools the hub starts anyway, voice disabled, and the log and the API say what to install.
 */
export const voiceFeature = () => {
  let engines: { stt: SpeechToText; tts?: TextToSpeech } | undefined;
  let offChanged: (() => void) | undefined;
  return defineFeature({
    name: 'voice',
    needs: ['registry', 'understanding', 'conversation', 'gateway', 'transport'],
    // --voice-stt, --voice-stt-url, ... (flags and kinds from the fields: core/feature-options.ts)
    config: keyedConfig('voice', VoiceConfigSchema, {
      enabled: { flag: 'voice', negate: true, help: 'serve POST /api/voice (--no-voice turns it off)' },
      stt: ['ENGINE', 'speech to text: pocketsphinx (default, offline, English), openai, wyoming, sherpa-onnx'],
      sttUrl: ['URL', 'openai: http://host:port/v1; wyoming: tcp://host:port'],
      sttModel: ['NAME', 'model name sent to an OpenAI-compatible server (default whisper-1)'],
      sttModelDir: ['DIR', 'sherpa-onnx: the model folder (needs `npm run install:voice-sherpa`)'],
      sttModelFamily: ['NAME', `sherpa-onnx: ${SHERPA_FAMILIES.join(', ')} (default auto)`],
      sttVadModel: ['FILE', "sherpa-onnx: silero_vad.onnx (default: the model folder's, else the one install:voice-sherpa fetched; none: no VAD)"],
      sttLanguages: ['LANGS', 'sherpa-onnx: a language the model is for (en, zh); repeatable (default: any)'],
      tts: ['ENGINE', 'text to speech: espeak (default), openai, wyoming, none'],
      ttsUrl: ['URL', 'openai: http://host:port/v1; wyoming: tcp://host:port (piper)'],
      ttsVoice: ['NAME', 'voice name for the TTS engine'],
      apiKey: ['KEY', 'bearer key for OpenAI-compatible speech servers'],
      echoBelow: ['X', 'confidence under which a sensitive spoken command is echoed back first (default 0.6)'],
    }),
    async start(ctx, config) {
      const log = ctx.logger.child({ component: 'voice' });
      if (!config.enabled) return { service: undefined, disabledReason: 'voice is turned off (--no-voice)' };
      const registry = ctx.get('registry');
      try {
        engines = voiceEngines(config, { view: registry, logger: log });
        // a model that cannot load disables voice, not the hub
        await engines.stt.ready?.();
      } catch (e) {
        const reason = (e as Error).message;
        log.warn(reason);
        await engines?.stt.close?.();
        engines = undefined;
        return { service: undefined, disabledReason: reason };
      }
      const { stt, tts } = engines;
      const service = createVoiceService({
        stt,
        ...(tts ? { tts } : {}),
        pipeline: ctx.get('conversation').pipeline,
        understanding: ctx.get('understanding'),
        view: registry,
        gateway: ctx.get('gateway'),
        logger: log,
        clock: ctx.clock,
        ffmpeg: findExecutable(config.ffmpegBin)!,
        echoBelow: config.echoBelow,
      });
      offChanged = registry.changed.on(() => stt.homeChanged?.());
      // utterances from node agents' microphones, over their own MQTT connections
      const { conn } = ctx.get('transport');
      const nodes = createNodeVoice({ service, device: (id) => registry.device(id), publish: (t, p) => conn.publish(t, p), clock: ctx.clock, logger: log, speaks: tts !== undefined });
      const offMessages = conn.messages.on(({ topic, payload }) => {
        if (topic.endsWith('/voice/req')) void nodes.onMessage(topic, payload);
      });
      const offRegistry = offChanged;
      offChanged = () => {
        offRegistry();
        offMessages();
      };
      await conn.subscribe([nodes.subscription]);
      log.info({ stt: stt.name, tts: tts?.name ?? 'none', languages: stt.languages ?? 'any' }, stt.languages ? `voice on: ${stt.name} (${stt.languages.join(', ')} only)` : `voice on: ${stt.name}`);
      return { service, disabledReason: undefined };
    },
    routes(ctx) {
      const { service, disabledReason } = ctx.get('voice');
      return { docs: VOICE_ROUTE_DOCS, plugin: voiceRoutes(service, disabledReason ?? '') };
    },
    async stop() {
      offChanged?.();
      await engines?.stt.close?.();
      await engines?.tts?.close?.();
      engines = undefined;
    },
  });
};
