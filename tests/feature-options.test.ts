/**
 * Options written beside their fields (hub/src/core/feature-options.ts): the flag comes from the slice's key and the
 * field, the kind from the field's zod type. The four features that use it keep exactly the options they declared
 * one by one before (flags, kinds, placeholders, help: the command line and STEWARD_* variables are unchanged), and
 * a field no flag can set is refused when the feature is declared.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldOptions, keyedConfig } from '@steward/hub/core/feature-options.ts';
import { plannerFeature } from '@steward/hub/planner/feature.ts';
import { voiceFeature } from '@steward/hub/voice/feature.ts';
import { historyFeature } from '@steward/hub/history/feature.ts';
import { trajectoriesFeature } from '@steward/hub/trajectories/feature.ts';
import { readOptions } from '@steward/hub/cli-options.ts';

const DECLARED = {
  planner: [
    { flag: 'llm-url', field: 'url', kind: 'string', value: 'URL', help: 'an OpenAI-compatible chat-completions API (Ollama, llama.cpp server, vLLM, hosted) for the planner' },
    { flag: 'llm-model', field: 'model', kind: 'string', value: 'M', help: 'the model name to ask for (with --llm-url)' },
    { flag: 'llm-key-file', field: 'keyFile', kind: 'string', value: 'F', help: 'a file holding the API key (with --llm-url)' },
    { flag: 'llm-gguf', field: 'gguf', kind: 'string', value: 'FILE', help: 'run a GGUF model in the hub instead (needs `npm run install:llm-embedded`)' },
    { flag: 'llm-hide', field: 'hide', kind: 'list', value: 'ID', help: 'a device or area the planner must not see or act on; repeatable' },
    { flag: 'llm-max-steps', field: 'maxSteps', kind: 'number', value: 'N', help: 'model calls per request (default 6)' },
  ],
  voice: [
    { flag: 'voice', field: 'enabled', kind: 'boolean', negate: true, help: 'serve POST /api/voice (--no-voice turns it off)' },
    { flag: 'voice-stt', field: 'stt', kind: 'string', value: 'ENGINE', help: 'speech to text: pocketsphinx (default, offline, English), openai, wyoming, sherpa-onnx' },
    { flag: 'voice-stt-url', field: 'sttUrl', kind: 'string', value: 'URL', help: 'openai: http://host:port/v1; wyoming: tcp://host:port' },
    { flag: 'voice-stt-model', field: 'sttModel', kind: 'string', value: 'NAME', help: 'model name sent to an OpenAI-compatible server (default whisper-1)' },
    { flag: 'voice-stt-model-dir', field: 'sttModelDir', kind: 'string', value: 'DIR', help: 'sherpa-onnx: the model folder (needs `npm run install:voice-sherpa`)' },
    { flag: 'voice-stt-model-family', field: 'sttModelFamily', kind: 'string', value: 'NAME', help: 'sherpa-onnx: auto, transducer, paraformer, whisper, nemo-ctc, zipformer-ctc, sense-voice (default auto)' },
    { flag: 'voice-stt-vad-model', field: 'sttVadModel', kind: 'string', value: 'FILE', help: "sherpa-onnx: silero_vad.onnx (default: the model folder's, else the one install:voice-sherpa fetched; none: no VAD)" },
    { flag: 'voice-stt-languages', field: 'sttLanguages', kind: 'list', value: 'LANGS', help: 'sherpa-onnx: a language the model is for (en, zh); repeatable (default: any)' },
    { flag: 'voice-tts', field: 'tts', kind: 'string', value: 'ENGINE', help: 'text to speech: espeak (default), openai, wyoming, none' },
    { flag: 'voice-tts-url', field: 'ttsUrl', kind: 'string', value: 'URL', help: 'openai: http://host:port/v1; wyoming: tcp://host:port (piper)' },
    { flag: 'voice-tts-voice', field: 'ttsVoice', kind: 'string', value: 'NAME', help: 'voice name for the TTS engine' },
    { flag: 'voice-api-key', field: 'apiKey', kind: 'string', value: 'KEY', help: 'bearer key for OpenAI-compatible speech servers' },
    { flag: 'voice-echo-below', field: 'echoBelow', kind: 'number', value: 'X', help: 'confidence under which a sensitive spoken command is echoed back first (default 0.6)' },
  ],
  history: [
    { flag: 'history-max-age-days', field: 'maxAgeDays', kind: 'number', value: 'D', help: 'device state history older than this is deleted (default 30)' },
    { flag: 'history-max-rows', field: 'maxRows', kind: 'number', value: 'N', help: 'device state history rows kept, the newest (default 1000000)' },
  ],
  trajectories: [
    { flag: 'trajectories-max-count', field: 'maxCount', kind: 'number', value: 'N', help: 'trajectories kept, the newest (default 10000)' },
    { flag: 'trajectories-max-age-days', field: 'maxAgeDays', kind: 'number', value: 'D', help: 'trajectories older than this are deleted (default 90)' },
  ],};

describe('options from their fields', () => {
  it('the planner, voice, history and trajectories features keep the options they declared', () => {
    for (const feature of [plannerFeature(), voiceFeature(), historyFeature(), trajectoriesFeature()]) {
      expect(feature.config!.options, feature.name).toEqual(DECLARED[feature.name as keyof typeof DECLARED]);
    }
    expect([plannerFeature(), voiceFeature(), historyFeature(), trajectoriesFeature()].map((f) => f.config!.key)).toEqual(['llm', 'voice', 'history', 'trajectories']);
  });

  it('kinds come from the zod type through optional and default; a flag of its own and negate are kept', () => {
    const schema = z.object({
      name: z.string().optional(),
      mode: z.enum(['a', 'b']).default('a'),
      count: z.number().int().default(3),
      on: z.boolean().default(true),
      ids: z.array(z.string()).default([]),
      nested: z.object({ x: z.number() }).optional(),
    });
    expect(keyedConfig('thing', schema, { name: ['N', 'a name'], mode: ['M', 'a mode'], count: ['C', 'how many'], ids: ['ID', 'ids'], on: { flag: 'thing', negate: true, help: 'on' } })).toEqual({
      key: 'thing',
      schema,
      options: [
        { flag: 'thing-name', field: 'name', kind: 'string', value: 'N', help: 'a name' },
        { flag: 'thing-mode', field: 'mode', kind: 'string', value: 'M', help: 'a mode' },
        { flag: 'thing-count', field: 'count', kind: 'number', value: 'C', help: 'how many' },
        { flag: 'thing-ids', field: 'ids', kind: 'list', value: 'ID', help: 'ids' },
        { flag: 'thing', field: 'on', kind: 'boolean', negate: true, help: 'on' },
      ],
    });
    expect(() => fieldOptions(schema, 'thing', { nested: ['X', 'no flag can set an object'] })).toThrow('option for nested: the schema has no field of a kind a flag can set (object)');
  });
});

describe('list options on the command line', () => {
  it('a list flag may repeat and each value may hold several, split on commas like its environment variable', () => {
    const groups = [{ key: 'voice', options: voiceFeature().config!.options }];
    expect(readOptions(groups, ['--voice-stt-languages', 'en,zh', '--voice-stt-languages', ' yue '], {}).input).toEqual({ voice: { sttLanguages: ['en', 'zh', 'yue'] } });
    expect(readOptions(groups, [], { STEWARD_VOICE_STT_LANGUAGES: 'zh, en' }).input).toEqual({ voice: { sttLanguages: ['zh', 'en'] } });
  });
});
