/**
 * The sherpa-onnx engine with the real library (optional/voice-sherpa: sherpa-onnx-node 1.13.8 and its bundled
 * onnxruntime) and models this test builds itself (tests/helpers/sherpa-models.ts): NeMo CTC, zipformer CTC,
 * transducer, paraformer and SenseVoice layouts whose weights spell a known phrase over the voiced frames of any audio, and a silero-shaped
 * energy VAD. No speech model ships in npm or Debian, so this proves the wiring (features from real espeak-ng speech,
 * onnxruntime, greedy CTC, transducer and paraformer decoding, SenseVoice's language tag, the token table, the VAD's cuts, the worker process, the hub end
 * to end), never accuracy: that needs a real model (docs/voice.md).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, toPcm16k, type Pcm16 } from '@steward/hub/voice/audio.ts';
import { createSherpaStt, sherpaInstalled, SHERPA_INSTALL_COMMAND, SHERPA_PACKAGE_DIR, type SherpaStt } from '@steward/hub/voice/stt/sherpa.ts';
import { readOnnxMetadata, recognizerConfig, resolveSherpaModel, sherpaLayout } from '@steward/hub/voice/stt/sherpa-model.ts';
import { encodeOnnx } from './helpers/onnx-writer.ts';
import { energyVadModel, KITCHEN_LIGHT_OFF_ZH, KITCHEN_LIGHT_ON, nemoCtcPhraseModel, phraseTokens, writeSherpaModelFolder } from './helpers/sherpa-models.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { postVoice, synthesize } from './helpers/speech.ts';
import { waitUntil } from './helpers/wait.ts';
import { descendants } from './helpers/process-tree.mjs';

const installed = sherpaInstalled();
const root = mkdtempSync(join(tmpdir(), 'steward-sherpa-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const logger = pino({ level: 'silent' });
const RATE = 16_000;

/** espeak-ng's "turn on the kitchen light" at 16 kHz with `before`/`after` seconds of digital silence around it */
async function paddedSpeech(before: number, after: number, text = 'turn on the kitchen light', wav = synthesize(text, 'espeak-en')): Promise<{ pcm: Pcm16; speechStart: number; speechEnd: number }> {
  const speech = await toPcm16k(wav, 'audio/wav');
  const samples = new Int16Array(Math.round((before + after) * RATE) + speech.samples.length);
  samples.set(speech.samples, Math.round(before * RATE));
  return { pcm: { samples, sampleRate: RATE }, speechStart: before, speechEnd: before + speech.samples.length / RATE };
}

/** espeak-ng reading 把厨房的灯关掉 in pinyin (its `cmn` voice reads characters wrongly) */
const mandarin = () => execFileSync('espeak-ng', ['-v', 'cmn-latn-pinyin', '--stdout', 'ba3 chu2 fang2 de5 deng1 guan1 diao4']);

function concat(...parts: Pcm16[]): Pcm16 {
  const samples = new Int16Array(parts.reduce((n, p) => n + p.samples.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p.samples, at);
    at += p.samples.length;
  }
  return { samples, sampleRate: RATE };
}

describe('the ONNX writer and the model folder (no library needed)', () => {
  it('writes metadata_props that a reader of the ModelProto finds past the graph', () => {
    const file = join(root, 'meta.onnx');
    writeFileSync(file, nemoCtcPhraseModel(KITCHEN_LIGHT_ON));
    expect(readOnnxMetadata(file)).toEqual({ model_type: 'EncDecCTCModelBPE', vocab_size: '6', subsampling_factor: '1', normalize_type: 'NA' });
    writeFileSync(file, energyVadModel());
    expect(readOnnxMetadata(file)).toEqual({});
    writeFileSync(file, Buffer.from('this is not a protobuf at all'));
    expect(() => readOnnxMetadata(file)).toThrow();
  });

  it('the token table: <blk> first, then the words as BPE pieces, Chinese ones as they are', () => {
    expect(phraseTokens(['turn', 'on'])).toBe('<blk> 0\n▁turn 1\n▁on 2\n');
    expect(phraseTokens(['把', '厨房'])).toBe('<blk> 0\n把 1\n厨房 2\n');
  });

  it('tells the family from the files: transducer, whisper, and single models by their metadata', () => {
    const make = (name: string, files: Record<string, string | Buffer>) => {
      const d = join(root, name);
      mkdirSync(d, { recursive: true });
      for (const [f, c] of Object.entries(files)) writeFileSync(join(d, f), c);
      return d;
    };
    const zipformer = make('sherpa-onnx-zipformer-en-2023-06-26', { 'encoder-epoch-99-avg-1.onnx': 'x', 'encoder-epoch-99-avg-1.int8.onnx': 'x', 'decoder-epoch-99-avg-1.onnx': 'x', 'decoder-epoch-99-avg-1.int8.onnx': 'x', 'joiner-epoch-99-avg-1.onnx': 'x', 'joiner-epoch-99-avg-1.int8.onnx': 'x', 'tokens.txt': 'a 0' });
    expect(sherpaLayout(zipformer)).toEqual({
      family: 'transducer',
      tokens: join(zipformer, 'tokens.txt'),
      files: { encoder: join(zipformer, 'encoder-epoch-99-avg-1.int8.onnx'), decoder: join(zipformer, 'decoder-epoch-99-avg-1.onnx'), joiner: join(zipformer, 'joiner-epoch-99-avg-1.int8.onnx') },
    });
    const whisper = make('sherpa-onnx-whisper-tiny', { 'tiny-encoder.onnx': 'x', 'tiny-decoder.onnx': 'x', 'tiny-encoder.int8.onnx': 'x', 'tiny-decoder.int8.onnx': 'x', 'tiny-tokens.txt': 'a 0' });
    expect(sherpaLayout(whisper)).toEqual({ family: 'whisper', tokens: join(whisper, 'tiny-tokens.txt'), files: { encoder: join(whisper, 'tiny-encoder.int8.onnx'), decoder: join(whisper, 'tiny-decoder.int8.onnx') } });
    expect(recognizerConfig(sherpaLayout(whisper) as never, { numThreads: 2, language: 'zh' })).toMatchObject({ modelConfig: { whisper: { language: 'zh', task: 'transcribe' }, numThreads: 2 } });

    const nemo = writeSherpaModelFolder(join(root, 'nemo'), KITCHEN_LIGHT_ON, { vad: false });
    expect(resolveSherpaModel(nemo)).toEqual({ family: 'nemo-ctc', tokens: join(nemo, 'tokens.txt'), files: { model: join(nemo, 'model.onnx') } });
    const zctc = make('zctc', { 'model.int8.onnx': encodeOnnx({ nodes: [], inputs: [], outputs: [], metadata: { model_type: 'zipformer2_ctc' } }), 'tokens.txt': 'a 0' });
    expect(resolveSherpaModel(zctc).family).toBe('zipformer-ctc');
    const para = make('sherpa-onnx-paraformer-zh-2023-09-14', { 'model.int8.onnx': encodeOnnx({ nodes: [], inputs: [], outputs: [], metadata: { lfr_window_size: '7' } }), 'tokens.txt': 'a 0' });
    expect(recognizerConfig(resolveSherpaModel(para), { numThreads: 1 })).toMatchObject({ modelConfig: { paraformer: { model: join(para, 'model.int8.onnx') } } });
    const sense = make('sense', { 'model.int8.onnx': encodeOnnx({ nodes: [], inputs: [], outputs: [], metadata: { lfr_window_size: '7', lang_zh: '3', with_itn: '14' } }), 'tokens.txt': 'a 0' });
    expect(recognizerConfig(resolveSherpaModel(sense), { numThreads: 1, language: 'zh' })).toMatchObject({ modelConfig: { senseVoice: { model: join(sense, 'model.int8.onnx'), language: 'zh' } } });
    // no model_type: the release archive's name
    const citrinet = make('sherpa-onnx-nemo-ctc-en-citrinet-512', { 'model.onnx': encodeOnnx({ nodes: [], inputs: [], outputs: [] }), 'tokens.txt': 'a 0' });
    expect(resolveSherpaModel(citrinet).family).toBe('nemo-ctc');
    const unknown = make('mystery', { 'model.onnx': encodeOnnx({ nodes: [], inputs: [], outputs: [] }), 'tokens.txt': 'a 0' });
    expect(() => resolveSherpaModel(unknown)).toThrow(/cannot tell which sherpa-onnx model .*model\.onnx is .*set --voice-stt-model-family/);
    expect(resolveSherpaModel(unknown, 'paraformer').family).toBe('paraformer');
  });

  it('names the file a layout is missing', () => {
    const d = join(root, 'half-transducer');
    mkdirSync(d);
    writeFileSync(join(d, 'encoder.onnx'), 'x');
    writeFileSync(join(d, 'joiner.onnx'), 'x');
    expect(() => sherpaLayout(d)).toThrow(`voice.sttModelDir: ${d} has no tokens.txt`);
    writeFileSync(join(d, 'tokens.txt'), 'a 0');
    expect(() => sherpaLayout(d)).toThrow(`voice.sttModelDir: ${d} has no decoder*.onnx (a transducer needs encoder, decoder and joiner)`);
    expect(() => sherpaLayout(join(root, 'nemo'), 'whisper')).toThrow('has no *encoder.onnx (whisper needs an encoder and a decoder)');
    const vadOnly = join(root, 'vad-only');
    mkdirSync(vadOnly);
    writeFileSync(join(vadOnly, 'silero_vad.onnx'), energyVadModel());
    expect(() => sherpaLayout(vadOnly)).toThrow(`voice.sttModelDir: ${vadOnly} has no sherpa-onnx model (no *.onnx file besides silero_vad.onnx)`);
  });

  it('without the optional package: a clear message naming the install command', () => {
    const nemo = join(root, 'nemo');
    expect(() => createSherpaStt({ modelDir: nemo, logger, packageDir: join(root, 'nowhere') })).toThrow(`run \`${SHERPA_INSTALL_COMMAND}\``);
  });
});

describe.skipIf(!installed)(`sherpa-onnx with models the test builds${installed ? '' : ` — SKIPPED: not installed; run ${SHERPA_INSTALL_COMMAND}`}`, () => {
  let stt: SherpaStt;
  let noVad: SherpaStt;
  const modelDir = join(root, 'kitchen-on');

  beforeAll(async () => {
    writeSherpaModelFolder(modelDir);
    stt = createSherpaStt({ modelDir, languages: ['en', 'zh'], logger });
    noVad = createSherpaStt({ modelDir: join(root, 'nemo'), vadModel: false, logger });
    await Promise.all([stt.ready!(), noVad.ready!()]);
  }, 60_000);
  afterAll(async () => {
    await stt?.close?.();
    await noVad?.close?.();
  });

  it('decodes real speech with real CTC decoding into the phrase the weights spell; the VAD cuts the silence around it', async () => {
    const { pcm, speechStart, speechEnd } = await paddedSpeech(1.5, 2);
    const heard = await stt.transcribe(pcm, { lang: 'en' });
    expect(heard).toEqual({ text: 'turn on the kitchen light', lang: 'en' });
    // one voiced stretch, inside the speech give or take the 0.25 s kept around it: the 1.5 s and 2 s of silence are gone
    expect(stt.lastSegments).toHaveLength(1);
    const [start, end] = stt.lastSegments[0]!;
    expect(start).toBeGreaterThanOrEqual(speechStart - 0.3);
    expect(start).toBeLessThan(speechStart + 0.5);
    expect(end).toBeLessThanOrEqual(speechEnd + 0.3);
    expect(end).toBeGreaterThan(speechEnd - 0.8);
    expect(stt.model.family).toBe('nemo-ctc');
  });

  it('splits long audio at a pause: each part is decoded alone and the transcripts join', async () => {
    const a = await paddedSpeech(0.5, 1.5);
    const b = await paddedSpeech(0, 0.5, 'and the other one');
    const heard = await stt.transcribe(concat(a.pcm, b.pcm), {});
    expect(stt.lastSegments).toHaveLength(2);
    expect(heard.text).toBe('turn on the kitchen light turn on the kitchen light');
    // without a VAD the whole clip is one piece, so the pause does not split it
    const whole = await noVad.transcribe(concat(a.pcm, b.pcm), {});
    expect(whole.text).toBe('turn on the kitchen light');
    expect(noVad.lastSegments).toEqual([[0, concat(a.pcm, b.pcm).samples.length / RATE]]);
  });

  it('the trained silero VAD that install:voice-sherpa fetched is the default: it finds real speech, not silence or hiss', async () => {
    // a model folder with no VAD of its own: the engine takes the package's models/silero_vad.onnx (silero v5)
    expect(existsSync(join(SHERPA_PACKAGE_DIR, 'models', 'silero_vad.onnx')), `run ${SHERPA_INSTALL_COMMAND}: it fetches models/silero_vad.onnx`).toBe(true);
    const silero = createSherpaStt({ modelDir: join(root, 'nemo'), logger });
    try {
      const { pcm, speechStart, speechEnd } = await paddedSpeech(1.5, 2);
      expect(await silero.transcribe(pcm, { lang: 'en' })).toEqual({ text: 'turn on the kitchen light', lang: 'en' });
      expect(silero.lastSegments).toHaveLength(1);
      const [start, end] = silero.lastSegments[0]!;
      // the 0.25 s kept around each piece, and silero's own onset and release (about 0.1 s), as tolerance
      expect(Math.abs(start - speechStart)).toBeLessThan(0.45);
      expect(Math.abs(end - speechEnd)).toBeLessThan(0.6);
      // two commands a second and a half apart are two pieces
      const a = await paddedSpeech(0.5, 1.5);
      const b = await paddedSpeech(0, 0.5);
      expect((await silero.transcribe(concat(a.pcm, b.pcm), {})).text).toBe('turn on the kitchen light turn on the kitchen light');
      expect(silero.lastSegments).toHaveLength(2);
      // hiss at about -50 dBFS is not speech
      const hiss = new Int16Array(RATE * 2).map(() => Math.round((Math.random() - 0.5) * 200));
      expect((await silero.transcribe({ samples: hiss, sampleRate: RATE }, {})).text).toBe('');
      expect(silero.lastSegments).toEqual([]);
    } finally {
      await silero.close!();
    }
  });

  it('Chinese: the pieces of a split utterance join without a space', async () => {
    const zh = createSherpaStt({ modelDir: writeSherpaModelFolder(join(root, 'zh-model'), KITCHEN_LIGHT_OFF_ZH), languages: ['zh'], logger });
    try {
      const a = await paddedSpeech(0.5, 1.5, '', mandarin());
      const b = await paddedSpeech(0, 0.5, '', mandarin());
      expect(await zh.transcribe(concat(a.pcm, b.pcm), { lang: 'zh' })).toEqual({ text: '把厨房的灯关掉把厨房的灯关掉', lang: 'zh' });
      expect(zh.lastSegments).toHaveLength(2);
      await expect(zh.transcribe(a.pcm, { lang: 'en' })).rejects.toThrow("this sherpa-onnx model is configured for zh, not 'en'");
    } finally {
      await zh.close!();
    }
  });

  it.each([
    // a zipformer CTC model: its own input layout (N, T, C), told by its metadata
    ['zipformer', 'zipformer-ctc', { model: 'model.int8.onnx' }],
    // encoder, decoder, joiner: sherpa-onnx's greedy search feeds the decoder what was emitted
    ['transducer', 'transducer', { encoder: 'encoder-epoch-99-avg-1.onnx', decoder: 'decoder-epoch-99-avg-1.onnx', joiner: 'joiner-epoch-99-avg-1.onnx' }],
    // a paraformer: LFR features, one output position per token up to </s>; told by its lfr_window_size
    ['paraformer', 'paraformer', { model: 'model.int8.onnx' }],
  ] as const)('a %s model decodes the same phrase, and silence to nothing', async (layout, family, files) => {
    const dir = writeSherpaModelFolder(join(root, `layout-${layout}`), KITCHEN_LIGHT_ON, { layout });
    const other = createSherpaStt({ modelDir: dir, logger });
    try {
      expect(other.model).toEqual({ family, tokens: join(dir, 'tokens.txt'), files: Object.fromEntries(Object.entries(files).map(([k, f]) => [k, join(dir, f)])) });
      expect((await other.transcribe((await paddedSpeech(0.5, 0.5)).pcm, {})).text).toBe('turn on the kitchen light');
      expect((await other.transcribe({ samples: new Int16Array(RATE), sampleRate: RATE }, {})).text).toBe('');
    } finally {
      await other.close!();
    }
  });

  it('a SenseVoice model says which language it heard: the transcript carries it', async () => {
    const dir = writeSherpaModelFolder(join(root, 'layout-sense-voice'), KITCHEN_LIGHT_OFF_ZH, { layout: 'sense-voice' });
    const sv = createSherpaStt({ modelDir: dir, logger });
    try {
      expect(sv.model.family).toBe('sense-voice');
      expect(await sv.transcribe((await paddedSpeech(0.5, 0.5, '', mandarin())).pcm, {})).toEqual({ text: '把厨房的灯关掉', lang: 'zh' });
      expect((await sv.transcribe({ samples: new Int16Array(RATE), sampleRate: RATE }, {})).text).toBe('');
    } finally {
      await sv.close!();
    }
  });

  it('silence decodes to nothing', async () => {
    expect((await stt.transcribe({ samples: new Int16Array(RATE * 2), sampleRate: RATE }, {})).text).toBe('');
    expect(stt.lastSegments).toEqual([]);
    expect((await noVad.transcribe({ samples: new Int16Array(RATE * 2), sampleRate: RATE }, {})).text).toBe('');
  });

  it('decodes in one worker process, loaded once and reused; a language the model is not for is refused', async () => {
    const pid = stt.pid;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    const { pcm } = await paddedSpeech(0.3, 0.3);
    const both = await Promise.all([stt.transcribe(pcm, {}), stt.transcribe(pcm, { lang: 'zh' })]);
    expect(both.map((t) => t.text)).toEqual(['turn on the kitchen light', 'turn on the kitchen light']);
    expect(stt.pid).toBe(pid);
    await expect(stt.transcribe(pcm, { lang: 'fr' })).rejects.toThrow("this sherpa-onnx model is configured for en, zh, not 'fr'");
  });

  it('a worker that dies is restarted on the next utterance', async () => {
    const old = noVad.pid!;
    process.kill(old, 'SIGKILL');
    await waitUntil(() => noVad.pid === undefined, 'the worker exit noticed');
    const { pcm } = await paddedSpeech(0.3, 0.3);
    expect((await noVad.transcribe(pcm, {})).text).toBe('turn on the kitchen light');
    expect(noVad.pid).not.toBe(old);
  });

  it('a model sherpa-onnx gives up on (it exits the process) ends the worker with its reason, not the test process', async () => {
    const d = join(root, 'no-blank');
    writeSherpaModelFolder(d, KITCHEN_LIGHT_ON, { vad: false });
    writeFileSync(join(d, 'tokens.txt'), '▁a 0\n▁b 1\n');
    const bad = createSherpaStt({ modelDir: d, logger });
    await expect(bad.ready!()).rejects.toThrow(/could not be loaded \(the sherpa-onnx worker process exited with code 255\): .*We expect that tokens.txt contains the symbol <blk>/);
    await bad.close!();
  });

  it('closing stops the worker', async () => {
    const extra = createSherpaStt({ modelDir, logger });
    await extra.ready!();
    const pid = extra.pid!;
    await extra.close!();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe.skipIf(!installed)('the hub with the sherpa-onnx engine', () => {
  let t: TestHub;
  const modelDir = join(root, 'hub-model');
  const stateOf = (id: string, field: string) => (t.hub.snapshot() as Record<string, Record<string, unknown>>)[id]?.[field];

  beforeAll(async () => {
    writeSherpaModelFolder(modelDir);
    t = await startTestHub({ homeFile: writeHomeFile(subsetHome(['kitchen-hub'])), demo: true, voice: { stt: 'sherpa-onnx', sttModelDir: modelDir, sttLanguages: ['en', 'zh'], tts: 'none' } } as never);
  }, 120_000);
  afterAll(async () => {
    await t?.stop().catch(() => undefined);
  });

  it('POST /api/voice: the spoken command turns the kitchen light on through its node agent', async () => {
    await t.api.post('/api/command', { text: 'turn off the kitchen light' });
    await waitUntil(() => stateOf('kitchen_light', 'on') === false, 'kitchen light off first');
    const { pcm } = await paddedSpeech(1, 1);
    const r = await postVoice(t.hub.httpUrl, t.token, encodeWav(pcm), { query: 'lang=en' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ transcript: 'turn on the kitchen light', engine: 'sherpa-onnx', echoed: false });
    expect(r.body.actions).toEqual([expect.objectContaining({ deviceId: 'kitchen_light', command: 'turnOn', ok: true })]);
    await waitUntil(() => stateOf('kitchen_light', 'on') === true, 'kitchen light reported on');
  });

  it('silence: a clear error and nothing executed', async () => {
    const r = await postVoice(t.hub.httpUrl, t.token, encodeWav({ samples: new Int16Array(RATE), sampleRate: RATE }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
  });

  it('the hub runs one decoder process and stops it when it stops', async () => {
    const workers = () => descendants(process.pid).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('voice-sherpa/src/worker.mjs');
      } catch {
        return false;
      }
    });
    const before = workers();
    expect(before).toHaveLength(1);
    await t.stop();
    expect(workers()).toEqual([]);
    expect(() => process.kill(before[0]!, 0)).toThrow();
  });
});

describe.skipIf(!installed)('the hub with a Chinese sherpa-onnx model (a paraformer, as the Mandarin models are)', () => {
  let t: TestHub;
  const stateOf = (id: string, field: string) => (t.hub.snapshot() as Record<string, Record<string, unknown>>)[id]?.[field];

  beforeAll(async () => {
    const modelDir = writeSherpaModelFolder(join(root, 'hub-model-zh'), KITCHEN_LIGHT_OFF_ZH, { layout: 'paraformer' });
    t = await startTestHub({ homeFile: writeHomeFile(subsetHome(['kitchen-hub'])), demo: true, voice: { stt: 'sherpa-onnx', sttModelDir: modelDir, sttLanguages: ['zh'], tts: 'none' } } as never);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('POST /api/voice?lang=zh: 把厨房的灯关掉 turns the kitchen light off through its node agent', async () => {
    await t.api.post('/api/command', { text: 'turn on the kitchen light' });
    await waitUntil(() => stateOf('kitchen_light', 'on') === true, 'kitchen light on first');
    const r = await postVoice(t.hub.httpUrl, t.token, encodeWav((await paddedSpeech(0.5, 0.5, '', mandarin())).pcm), { query: 'lang=zh' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ transcript: '把厨房的灯关掉', engine: 'sherpa-onnx', echoed: false });
    expect(r.body.actions).toEqual([expect.objectContaining({ deviceId: 'kitchen_light', command: 'turnOff', ok: true })]);
    await waitUntil(() => stateOf('kitchen_light', 'on') === false, 'kitchen light reported off');
    // the model is configured for Chinese only
    const en = await postVoice(t.hub.httpUrl, t.token, encodeWav((await paddedSpeech(0.5, 0.5)).pcm), { query: 'lang=en' });
    expect(en.status).toBe(400);
    expect(en.body.error.message).toBe("this sherpa-onnx model is configured for zh, not 'en' (--voice-stt-languages)");
  });
});

describe('configuration and broken models', () => {
  it('a wrong model folder is a configuration error at start, naming what is missing', async () => {
    const empty = join(root, 'empty-folder');
    mkdirSync(empty, { recursive: true });
    await expect(startTestHub({ voice: { stt: 'sherpa-onnx', sttModelDir: empty } } as never)).rejects.toThrow(`voice.sttModelDir: ${empty} has no sherpa-onnx model (no *.onnx file besides silero_vad.onnx)`);
    await expect(startTestHub({ voice: { stt: 'sherpa-onnx', sttModelDir: join(root, 'nemo'), sttModelFamily: 'transducer' } } as never)).rejects.toThrow(`voice.sttModelDir: ${join(root, 'nemo')} has no encoder*.onnx`);
    await expect(startTestHub({ voice: { stt: 'sherpa-onnx', sttModelDir: join(root, 'nemo'), sttVadModel: join(root, 'no-vad.onnx') } } as never)).rejects.toThrow(`voice.sttVadModel: the voice-activity model ${join(root, 'no-vad.onnx')} does not exist`);
  });

  it.skipIf(!installed)('a corrupt model: voice is disabled with a clear reason, the hub keeps running', async () => {
    const garbage = join(root, 'corrupt');
    mkdirSync(garbage, { recursive: true });
    writeFileSync(join(garbage, 'model.onnx'), Buffer.from('\x08\x07garbage, not a model'.repeat(10)));
    writeFileSync(join(garbage, 'tokens.txt'), phraseTokens(KITCHEN_LIGHT_ON));
    // a model cut short: its family is named, so onnxruntime itself is the one to refuse it (in the worker)
    const truncated = join(root, 'truncated');
    mkdirSync(truncated, { recursive: true });
    const whole = nemoCtcPhraseModel(KITCHEN_LIGHT_ON);
    writeFileSync(join(truncated, 'model.onnx'), whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(truncated, 'tokens.txt'), phraseTokens(KITCHEN_LIGHT_ON));
    for (const [dir, family, reason] of [
      [garbage, 'auto', /voice is disabled: .*model\.onnx is not a readable ONNX model/],
      [truncated, 'nemo-ctc', /voice is disabled: the sherpa-onnx model in .*truncated could not be loaded/],
    ] as const) {
      const hub = await startTestHub({ voice: { stt: 'sherpa-onnx', sttModelDir: dir, sttModelFamily: family, tts: 'none' } } as never);
      try {
        const r = await postVoice(hub.hub.httpUrl, hub.token, encodeWav((await paddedSpeech(0.2, 0.2)).pcm));
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe('UNAVAILABLE');
        expect(r.body.error.message).toMatch(reason);
        // the rest of the hub works
        const health = await fetch(`${hub.hub.httpUrl}/api/health`);
        expect(health.status).toBe(200);
      } finally {
        await hub.stop();
      }
    }
  }, 60_000);
});
