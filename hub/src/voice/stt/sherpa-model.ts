/**
 * A sherpa-onnx model folder as its release archive unpacks: which family it is (from the file names, else the ONNX
 * metadata sherpa-onnx's export scripts write, else the folder's name), which file plays which part, and the
 * OfflineRecognizerConfig sherpa-onnx-node wants for it. Reads names and metadata only, never loads a model.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StewardError } from '@steward/device-adapters';

export const SHERPA_FAMILIES = ['auto', 'transducer', 'paraformer', 'whisper', 'nemo-ctc', 'zipformer-ctc', 'sense-voice'] as const;
export type SherpaFamily = Exclude<(typeof SHERPA_FAMILIES)[number], 'auto'>;

/** The files of one model, by role, as sherpa-onnx's OfflineModelConfig wants them. */
export interface SherpaModel {
  family: SherpaFamily;
  tokens: string;
  files: Record<string, string>;
}

export const VAD_FILE = 'silero_vad.onnx';

/**
 * An .onnx of the folder whose name holds `role`, int8 first (smaller and faster on a CPU) unless `fp32` (a
 * transducer's decoder: sherpa-onnx's own examples pair int8 encoder and joiner with the float decoder).
 */
function pick(onnx: readonly string[], role: RegExp, fp32 = false): string | undefined {
  const int8 = (f: string) => Number(f.includes('int8') !== fp32);
  const hits = onnx.filter((f) => role.test(f)).sort((a, b) => int8(b) - int8(a) || a.localeCompare(b));
  return hits[0];
}

const missing = (dir: string, what: string) => new StewardError('BAD_REQUEST', `voice.sttModelDir: ${dir} has no ${what}`);

/**
 * The model's files by their names (no file is opened): which family, and which file plays which part. Throws a
 * BAD_REQUEST naming the missing file. A single `model*.onnx` needs its metadata to tell the family (see
 * `resolveSherpaModel`); here it is `undefined` family when not given.
 */
export function sherpaLayout(dir: string, family: SherpaFamily | 'auto' = 'auto'): SherpaModel | { family: undefined; tokens: string; single: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new StewardError('BAD_REQUEST', `voice.sttModelDir: the sherpa-onnx model folder ${dir} does not exist`);
  const names = readdirSync(dir);
  const onnx = names.filter((f) => f.endsWith('.onnx') && f !== VAD_FILE);
  const at = (f: string) => join(dir, f);
  const tokensFile = names.includes('tokens.txt') ? 'tokens.txt' : names.find((f) => f.endsWith('-tokens.txt'));
  if (onnx.length === 0) throw missing(dir, 'sherpa-onnx model (no *.onnx file besides silero_vad.onnx)');
  if (!tokensFile) throw missing(dir, 'tokens.txt (every sherpa-onnx model comes with one)');
  const tokens = at(tokensFile);
  const encoder = pick(onnx, /encoder/);
  const decoder = pick(onnx, /decoder/);
  const joiner = pick(onnx, /joiner/);
  const guessed: SherpaFamily | undefined = family !== 'auto' ? family : joiner ? 'transducer' : encoder && decoder ? 'whisper' : undefined;
  switch (guessed) {
    case 'transducer':
      if (!encoder) throw missing(dir, 'encoder*.onnx (a transducer needs encoder, decoder and joiner)');
      if (!decoder) throw missing(dir, 'decoder*.onnx (a transducer needs encoder, decoder and joiner)');
      if (!joiner) throw missing(dir, 'joiner*.onnx (a transducer needs encoder, decoder and joiner)');
      return { family: 'transducer', tokens, files: { encoder: at(encoder), decoder: at(pick(onnx, /decoder/, true)!), joiner: at(joiner) } };
    case 'whisper':
      if (!encoder) throw missing(dir, '*encoder.onnx (whisper needs an encoder and a decoder)');
      if (!decoder) throw missing(dir, '*decoder.onnx (whisper needs an encoder and a decoder)');
      return { family: 'whisper', tokens, files: { encoder: at(encoder), decoder: at(decoder) } };
    case undefined:
    case 'paraformer':
    case 'nemo-ctc':
    case 'zipformer-ctc':
    case 'sense-voice': {
      const model = pick(onnx, /^model/) ?? (onnx.length === 1 ? onnx[0] : undefined);
      if (!model) throw missing(dir, `model.onnx (found ${onnx.join(', ')}: set --voice-stt-model-family to say which layout this is)`);
      if (!guessed) return { family: undefined, tokens, single: at(model) };
      return { family: guessed, tokens, files: { model: at(model) } };
    }
  }
}

/**
 * The metadata_props of an .onnx file (ModelProto field 14), reading only the top-level fields' headers: the graph,
 * hundreds of MB in a real model, is skipped, never read.
 */
export function readOnnxMetadata(file: string): Record<string, string> {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const head = Buffer.alloc(16);
    const out: Record<string, string> = {};
    let pos = 0;
    const varintAt = (buf: Buffer, at: number): [number, number] => {
      let v = 0;
      let mul = 1;
      for (let i = at; i < Math.min(buf.length, at + 10); i++) {
        v += (buf[i]! & 0x7f) * mul;
        mul *= 128;
        if (!(buf[i]! & 0x80)) return [v, i + 1];
      }
      throw new Error('a malformed varint');
    };
    for (let fields = 0; pos < size; fields++) {
      if (fields > 10_000) throw new Error('too many top-level fields');
      const n = readSync(fd, head, 0, head.length, pos);
      const [tag, afterTag] = varintAt(head.subarray(0, n), 0);
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0) throw new Error('field number 0');
      if (wire === 0) {
        pos += varintAt(head.subarray(0, n), afterTag)[1];
      } else if (wire === 2) {
        const [len, afterLen] = varintAt(head.subarray(0, n), afterTag);
        const start = pos + afterLen;
        if (start + len > size) throw new Error('a field runs past the end of the file');
        if (field === 14 && len < 1_000_000) {
          const entry = Buffer.alloc(len);
          readSync(fd, entry, 0, len, start);
          const kv: string[] = [];
          for (let p = 0; p < entry.length; ) {
            const [t, a] = varintAt(entry, p);
            const [l, b] = varintAt(entry, a);
            kv[Math.floor(t / 8) - 1] = entry.subarray(b, b + l).toString('utf8');
            p = b + l;
          }
          if (kv[0] !== undefined) out[kv[0]] = kv[1] ?? '';
        }
        pos = start + len;
      } else if (wire === 5) {
        pos += afterTag + 4;
      } else if (wire === 1) {
        pos += afterTag + 8;
      } else {
        throw new Error(`wire type ${wire}`);
      }
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

const NEMO_TYPES = new Set(['EncDecCTCModelBPE', 'EncDecCTCModel', 'EncDecHybridRNNTCTCBPEModel']);

/**
 * The layout, with a single model's family read from its metadata as sherpa-onnx's export scripts write it:
 * model_type for NeMo and zipformer CTC, lang_zh / with_itn for SenseVoice, lfr_window_size for paraformer (which
 * SenseVoice has too, so it is asked second); else the folder's name as the release archives spell it.
 */
export function resolveSherpaModel(dir: string, family: SherpaFamily | 'auto' = 'auto'): SherpaModel {
  const layout = sherpaLayout(dir, family);
  if (layout.family) return layout;
  let meta: Record<string, string>;
  try {
    meta = readOnnxMetadata(layout.single);
  } catch (e) {
    throw new StewardError('UNAVAILABLE', `voice is disabled: ${layout.single} is not a readable ONNX model (${(e as Error).message})`);
  }
  const type = meta.model_type ?? '';
  const name = basename(dir);
  const found: SherpaFamily | undefined = NEMO_TYPES.has(type) || (!type && /nemo/i.test(name))
    ? 'nemo-ctc'
    : type === 'zipformer2_ctc' || (!type && /zipformer-ctc/i.test(name))
      ? 'zipformer-ctc'
      : 'lang_zh' in meta || 'with_itn' in meta || /sense-?voice/i.test(name)
        ? 'sense-voice'
        : 'lfr_window_size' in meta || /paraformer/i.test(name)
          ? 'paraformer'
          : undefined;
  if (!found) {
    throw new StewardError('UNAVAILABLE', `voice is disabled: cannot tell which sherpa-onnx model ${layout.single} is (metadata model_type '${type}'): set --voice-stt-model-family (${SHERPA_FAMILIES.filter((f) => f !== 'auto').join(', ')})`);
  }
  return { family: found, tokens: layout.tokens, files: { model: layout.single } };
}

/** sherpa-onnx-node's OfflineRecognizerConfig for the model */
export function recognizerConfig(m: SherpaModel, opts: { numThreads: number; language?: string }): Record<string, unknown> {
  const f = m.files;
  const model: Record<string, unknown> = { tokens: m.tokens, numThreads: opts.numThreads, provider: 'cpu', debug: 0 };
  switch (m.family) {
    case 'transducer':
      model.transducer = { encoder: f.encoder, decoder: f.decoder, joiner: f.joiner };
      break;
    case 'whisper':
      // '' lets a multilingual whisper detect the language
      model.whisper = { encoder: f.encoder, decoder: f.decoder, language: opts.language ?? '', task: 'transcribe' };
      break;
    case 'paraformer':
      model.paraformer = { model: f.model };
      break;
    case 'nemo-ctc':
      model.nemoCtc = { model: f.model };
      break;
    case 'zipformer-ctc':
      model.zipformerCtc = { model: f.model };
      break;
    case 'sense-voice':
      model.senseVoice = { model: f.model, language: opts.language ?? 'auto', useInverseTextNormalization: 1 };
      break;
  }
  return { featConfig: { sampleRate: 16_000, featureDim: 80 }, modelConfig: model, decodingMethod: 'greedy_search' };
}
