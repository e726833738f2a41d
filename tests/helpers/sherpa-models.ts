/**
 * Tiny ONNX models that sherpa-onnx loads as real models of its families, built by the tests (no weights ship in npm
 * or Debian). They know no speech: they prove the wiring (features from real audio, onnxruntime, CTC, transducer and paraformer decoding, the
 * token table, voice-activity detection), never accuracy.
 *
 * - A NeMo CTC model (`model_type` EncDecCTCModelBPE, as sherpa-onnx's offline-nemo-enc-dec-ctc-model.cc reads it:
 *   input features (N, C=80, T) and their lengths, output log-probabilities (N, T, vocab), metadata vocab_size,
 *   subsampling_factor, normalize_type). A frame is "voiced" when its mean log-mel energy is above a threshold;
 *   the k-th of K word tokens is emitted while the voiced frames counted so far are in the k-th K-th of all voiced
 *   frames, blank before the first voiced frame. Whatever the speech, the greedy CTC decoder reads the K tokens in
 *   order, once each: the phrase. Silence decodes to nothing. The same in a zipformer CTC layout, as a
 *   transducer (encoder, decoder, joiner) whose greedy search reads the same phrase, as a paraformer, and as
 *   SenseVoice (which says <|zh|> first).
 * - A silero-VAD-v5-shaped model (inputs input (1, N), state (2, 1, 128), sr; outputs output, stateN, as
 *   silero-vad-model.cc checks them): the probability of speech is a steep sigmoid of the window's mean square.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOnnx, type Node } from './onnx-writer.ts';

/** mean log-mel (natural log) above which a frame counts as voiced: digital silence is about -15.9 */
export const VOICED_LOG_MEL = -9;

const scalar = (name: string, v: number) => ({ name, type: 'FLOAT' as const, dims: [], values: [v] });

/**
 * The heart of every phrase model: from the mean log-mel energy of each frame, (1, T, 1) in `energy_t`, to `hit_f`,
 * (1, T, vocab): one-hot of the word index. A frame is voiced above VOICED_LOG_MEL; while the voiced frames counted
 * so far are in the k-th K-th of all voiced frames the index is k (1..K); before the first voiced frame it is 0
 * (blank).
 */
function wordIndexNodes(): Node[] {
  return [
    { op: 'Greater', inputs: ['energy_t', 'threshold'], outputs: ['voiced'] },
    { op: 'Cast', inputs: ['voiced'], outputs: ['voiced_f'], attrs: { to: 1 } },
    { op: 'CumSum', inputs: ['voiced_f', 'time_axis'], outputs: ['count'] },
    { op: 'ReduceMax', inputs: ['count'], outputs: ['total'], attrs: { axes: [1], keepdims: 1 } },
    { op: 'Max', inputs: ['total', 'one'], outputs: ['total_1'] },
    { op: 'Div', inputs: ['count', 'total_1'], outputs: ['fraction'] },
    { op: 'Mul', inputs: ['fraction', 'words'], outputs: ['scaled'] },
    { op: 'Ceil', inputs: ['scaled'], outputs: ['index'] },
    { op: 'Equal', inputs: ['index', 'token_ids'], outputs: ['hit'] },
    { op: 'Cast', inputs: ['hit'], outputs: ['hit_f'], attrs: { to: 1 } },
  ];
}

const tokenIds = (vocab: number) => ({ name: 'token_ids', type: 'FLOAT' as const, dims: [vocab], values: Array.from({ length: vocab }, (_, i) => i) });

/** `ids`: the word index each token id stands for (token_ids); by default token id k is the k-th word */
function wordIndexInitializers(words: readonly string[], ids = tokenIds(words.length + 1)) {
  return [scalar('threshold', VOICED_LOG_MEL), { name: 'time_axis', type: 'INT64' as const, dims: [], values: [1] }, scalar('one', 1), scalar('words', words.length), ids];
}

/**
 * A CTC model that spells `words` over any voiced audio, in the layout sherpa-onnx expects of a NeMo CTC model
 * (features (N, C, T) in, log-probabilities out, metadata) or of a zipformer CTC model (offline-zipformer-ctc-model.cc:
 * features (N, T, C) in; log-probabilities (N, T, vocab, a fixed size: sherpa-onnx reads the vocabulary from it) and
 * their lengths out; subsampling is its own business).
 */
export function ctcPhraseModel(words: readonly string[], layout: 'nemo' | 'zipformer' = 'nemo'): Buffer {
  const vocab = words.length + 1;
  const energy: Node[] =
    layout === 'nemo'
      ? [
          { op: 'ReduceMean', inputs: ['features'], outputs: ['energy'], attrs: { axes: [1], keepdims: 1 } }, // (1, 1, T)
          { op: 'Transpose', inputs: ['energy'], outputs: ['energy_t'], attrs: { perm: [0, 2, 1] } }, // (1, T, 1)
        ]
      : [{ op: 'ReduceMean', inputs: ['features'], outputs: ['energy_t'], attrs: { axes: [2], keepdims: 1 } }]; // (1, T, 1)
  const nodes: Node[] = [
    ...energy,
    ...wordIndexNodes(),
    { op: 'Mul', inputs: ['hit_f', 'sharpness'], outputs: ['logits'] },
    { op: 'LogSoftmax', inputs: ['logits'], outputs: ['logprobs'], attrs: { axis: -1 } },
    ...(layout === 'zipformer' ? [{ op: 'Identity', inputs: ['length'], outputs: ['logprobs_len'] }] : []),
  ];
  return encodeOnnx({
    nodes,
    inputs: [
      { name: 'features', type: 'FLOAT', shape: layout === 'nemo' ? [1, 80, 'T'] : [1, 'T', 80] },
      { name: 'length', type: 'INT64', shape: [1] },
    ],
    outputs: [
      { name: 'logprobs', type: 'FLOAT', shape: [1, 'T', vocab] },
      ...(layout === 'zipformer' ? [{ name: 'logprobs_len', type: 'INT64' as const, shape: [1] }] : []),
    ],
    initializers: [...wordIndexInitializers(words), scalar('sharpness', 20)],
    metadata:
      layout === 'nemo'
        ? { model_type: 'EncDecCTCModelBPE', vocab_size: String(vocab), subsampling_factor: '1', normalize_type: 'NA' }
        : { model_type: 'zipformer2_ctc' },
  });
}

/**
 * A transducer (encoder, decoder, joiner as offline-transducer-model.cc runs them, context size 1) that spells
 * `words`: the encoder gives each frame the one-hot of its word index, the decoder the one-hot of the last token
 * emitted, and the joiner favours the frame's word unless it was just emitted (then blank), so greedy search emits
 * each word once.
 */
export function transducerPhraseModel(words: readonly string[]): { encoder: Buffer; decoder: Buffer; joiner: Buffer } {
  const vocab = words.length + 1;
  const encoder = encodeOnnx({
    nodes: [
      { op: 'ReduceMean', inputs: ['x'], outputs: ['energy_t'], attrs: { axes: [2], keepdims: 1 } }, // (1, T, 1)
      ...wordIndexNodes(),
      { op: 'Identity', inputs: ['hit_f'], outputs: ['encoder_out'] },
      { op: 'Identity', inputs: ['x_lens'], outputs: ['encoder_out_lens'] },
    ],
    inputs: [
      { name: 'x', type: 'FLOAT', shape: [1, 'T', 80] },
      { name: 'x_lens', type: 'INT64', shape: [1] },
    ],
    outputs: [
      { name: 'encoder_out', type: 'FLOAT', shape: [1, 'T', vocab] },
      { name: 'encoder_out_lens', type: 'INT64', shape: [1] },
    ],
    initializers: wordIndexInitializers(words),
    // sherpa-onnx picks the transducer implementation by the encoder's model_type (icefall writes zipformer2)
    metadata: { model_type: 'zipformer2' },
  });
  const decoder = encodeOnnx({
    nodes: [
      { op: 'Cast', inputs: ['y'], outputs: ['y_f'], attrs: { to: 1 } }, // (N, 1)
      { op: 'Equal', inputs: ['y_f', 'token_ids'], outputs: ['last'] }, // (N, vocab)
      { op: 'Cast', inputs: ['last'], outputs: ['decoder_out'], attrs: { to: 1 } },
    ],
    inputs: [{ name: 'y', type: 'INT64', shape: ['N', 1] }],
    outputs: [{ name: 'decoder_out', type: 'FLOAT', shape: ['N', vocab] }],
    initializers: [tokenIds(vocab)],
    metadata: { vocab_size: String(vocab), context_size: '1' },
  });
  const joiner = encodeOnnx({
    nodes: [
      { op: 'Sub', inputs: ['encoder_out', 'decoder_out'], outputs: ['fresh'] }, // +1 the frame's word, -1 the last one
      { op: 'Mul', inputs: ['fresh', 'two'], outputs: ['scaled'] },
      { op: 'Add', inputs: ['scaled', 'blank_bias'], outputs: ['logit'] },
    ],
    inputs: [
      { name: 'encoder_out', type: 'FLOAT', shape: ['N', vocab] },
      { name: 'decoder_out', type: 'FLOAT', shape: ['N', vocab] },
    ],
    outputs: [{ name: 'logit', type: 'FLOAT', shape: ['N', vocab] }],
    initializers: [scalar('two', 2), { name: 'blank_bias', type: 'FLOAT', dims: [vocab], values: Array.from({ length: vocab }, (_, i) => (i === 0 ? 0.5 : 0)) }],
  });
  return { encoder, decoder, joiner };
}

export const nemoCtcPhraseModel = (words: readonly string[]) => ctcPhraseModel(words, 'nemo');

/**
 * A paraformer (offline-paraformer-model.cc: LFR features (N, T, 80 x 7) and their int32 lengths in; per output
 * position log-probabilities (N, K, vocab) and the token count out; metadata lfr_window_size/shift, neg_mean,
 * inv_stddev, vocab_size). Position k says the k-th word when any frame is voiced, else </s> at once (nothing).
 * Its token table is paraformerTokens.
 */
export function paraformerPhraseModel(words: readonly string[]): Buffer {
  const k = words.length;
  const vocab = k + 3; // <blank> <s> </s>, then the words
  const EOS = 2;
  const rows = (id: (i: number) => number) => Array.from({ length: k * vocab }, (_, j) => (j % vocab === id(Math.floor(j / vocab)) ? 20 : 0));
  const dim = 80 * 7;
  return encodeOnnx({
    nodes: [
      { op: 'ReduceMean', inputs: ['speech'], outputs: ['energy_t'], attrs: { axes: [2], keepdims: 1 } }, // (1, T, 1)
      { op: 'Greater', inputs: ['energy_t', 'threshold'], outputs: ['voiced'] },
      { op: 'Cast', inputs: ['voiced'], outputs: ['voiced_f'], attrs: { to: 1 } },
      { op: 'ReduceMax', inputs: ['voiced_f'], outputs: ['any'], attrs: { axes: [1, 2], keepdims: 1 } }, // (1, 1, 1)
      { op: 'Sub', inputs: ['one', 'any'], outputs: ['none'] },
      { op: 'Mul', inputs: ['any', 'phrase'], outputs: ['said'] },
      { op: 'Mul', inputs: ['none', 'eos'], outputs: ['ended'] },
      { op: 'Add', inputs: ['said', 'ended'], outputs: ['logits'] },
      { op: 'LogSoftmax', inputs: ['logits'], outputs: ['logprobs'], attrs: { axis: -1 } },
      { op: 'Identity', inputs: ['count'], outputs: ['token_num'] },
    ],
    inputs: [
      { name: 'speech', type: 'FLOAT', shape: [1, 'T', dim] },
      { name: 'speech_lengths', type: 'INT32', shape: [1] },
    ],
    outputs: [
      { name: 'logprobs', type: 'FLOAT', shape: [1, k, vocab] },
      { name: 'token_num', type: 'INT64', shape: [1] },
    ],
    initializers: [
      scalar('threshold', VOICED_LOG_MEL),
      scalar('one', 1),
      { name: 'phrase', type: 'FLOAT', dims: [1, k, vocab], values: rows((i) => i + 3) },
      { name: 'eos', type: 'FLOAT', dims: [1, k, vocab], values: rows(() => EOS) },
      { name: 'count', type: 'INT64', dims: [1], values: [k] },
    ],
    metadata: {
      vocab_size: String(vocab),
      lfr_window_size: '7',
      lfr_window_shift: '6',
      neg_mean: Array(dim).fill('0').join(','),
      inv_stddev: Array(dim).fill('1').join(','),
    },
  });
}

/** SenseVoice's four leading tokens, as its model writes them before the text (language, emotion, event, ITN) */
const SENSE_VOICE_PREFIX = ['<|zh|>', '<|NEUTRAL|>', '<|Speech|>', '<|withitn|>'] as const;

/**
 * A SenseVoice model (offline-sense-voice-model.cc: LFR features (N, T, 560), lengths, language and text_norm ids
 * in; CTC logits (N, 4 + T, vocab) out, the first four positions saying language, emotion, event and ITN; metadata
 * lfr_*, normalize_samples, with_itn/without_itn, lang_* ids, neg_mean, inv_stddev). It says <|zh|> and then spells
 * the words over the voiced frames like the CTC models. Its table is senseVoiceTokens.
 */
export function senseVoicePhraseModel(words: readonly string[]): Buffer {
  const prefix = SENSE_VOICE_PREFIX.length;
  const vocab = 1 + prefix + words.length;
  const dim = 80 * 7;
  // the word index k (1..K) is token 4 + k; index 0 stays blank; the prefix tokens are never a word index
  const ids = { name: 'token_ids', type: 'FLOAT' as const, dims: [vocab], values: Array.from({ length: vocab }, (_, i) => (i === 0 ? 0 : i <= prefix ? -1 : i - prefix)) };
  return encodeOnnx({
    nodes: [
      { op: 'ReduceMean', inputs: ['x'], outputs: ['energy_t'], attrs: { axes: [2], keepdims: 1 } },
      ...wordIndexNodes(),
      { op: 'Concat', inputs: ['prefix', 'hit_f'], outputs: ['all'], attrs: { axis: 1 } }, // (1, 4 + T, vocab)
      { op: 'Mul', inputs: ['all', 'sharpness'], outputs: ['logits_raw'] },
      { op: 'LogSoftmax', inputs: ['logits_raw'], outputs: ['logits'], attrs: { axis: -1 } },
    ],
    inputs: [
      { name: 'x', type: 'FLOAT', shape: [1, 'T', dim] },
      { name: 'x_length', type: 'INT32', shape: [1] },
      { name: 'language', type: 'INT32', shape: [1] },
      { name: 'text_norm', type: 'INT32', shape: [1] },
    ],
    outputs: [{ name: 'logits', type: 'FLOAT', shape: [1, 'T4', vocab] }],
    initializers: [
      ...wordIndexInitializers(words, ids),
      scalar('sharpness', 20),
      { name: 'prefix', type: 'FLOAT', dims: [1, prefix, vocab], values: Array.from({ length: prefix * vocab }, (_, j) => (j % vocab === Math.floor(j / vocab) + 1 ? 1 : 0)) },
    ],
    metadata: {
      vocab_size: String(vocab),
      lfr_window_size: '7',
      lfr_window_shift: '6',
      normalize_samples: '0',
      with_itn: '14',
      without_itn: '15',
      lang_auto: '0',
      lang_zh: '3',
      lang_en: '4',
      lang_ja: '11',
      lang_ko: '12',
      lang_yue: '7',
      neg_mean: Array(dim).fill('0').join(','),
      inv_stddev: Array(dim).fill('1').join(','),
    },
  });
}

export function senseVoiceTokens(words: readonly string[]): string {
  return ['<blk> 0', ...SENSE_VOICE_PREFIX.map((t, i) => `${t} ${i + 1}`), ...words.map((w, i) => `${w} ${i + 1 + SENSE_VOICE_PREFIX.length}`)].join('\n') + '\n';
}

/** paraformer's table: <blank> <s> </s>, then the words as they are (it puts spaces between Latin ones itself) */
export function paraformerTokens(words: readonly string[]): string {
  return ['<blank> 0', '<s> 1', '</s> 2', ...words.map((w, i) => `${w} ${i + 3}`)].join('\n') + '\n';
}

/**
 * The token table for the phrase models: <blk> first, then each word: a Latin one as a ▁-prefixed BPE piece
 * (sherpa-onnx turns the ▁ into a space), a Chinese one as it is (joined without spaces, as Chinese models write).
 */
export function phraseTokens(words: readonly string[]): string {
  return ['<blk> 0', ...words.map((w, i) => `${/^\p{Script=Han}/u.test(w) ? '' : '▁'}${w} ${i + 1}`)].join('\n') + '\n';
}

/** mean square of a window (samples in [-1, 1]) above which the VAD says speech */
export const VAD_MEAN_SQUARE = 1e-5;

/** a silero-VAD-v5-shaped energy detector */
export function energyVadModel(): Buffer {
  return encodeOnnx({
    nodes: [
      { op: 'Mul', inputs: ['input', 'input'], outputs: ['square'] },
      { op: 'ReduceMean', inputs: ['square'], outputs: ['power'], attrs: { axes: [1], keepdims: 1 } }, // (1, 1)
      { op: 'Sub', inputs: ['power', 'threshold'], outputs: ['margin'] },
      { op: 'Mul', inputs: ['margin', 'gain'], outputs: ['z'] },
      { op: 'Sigmoid', inputs: ['z'], outputs: ['output'] },
      { op: 'Identity', inputs: ['state'], outputs: ['stateN'] },
    ],
    inputs: [
      { name: 'input', type: 'FLOAT', shape: [1, 'N'] },
      { name: 'state', type: 'FLOAT', shape: [2, 1, 128] },
      { name: 'sr', type: 'INT64', shape: [1] },
    ],
    outputs: [
      { name: 'output', type: 'FLOAT', shape: [1, 1] },
      { name: 'stateN', type: 'FLOAT', shape: [2, 1, 128] },
    ],
    initializers: [scalar('threshold', VAD_MEAN_SQUARE), scalar('gain', 1e7)],
  });
}

export const KITCHEN_LIGHT_ON = ['turn', 'on', 'the', 'kitchen', 'light'] as const;
/** 把厨房的灯关掉: turn the kitchen light off */
export const KITCHEN_LIGHT_OFF_ZH = ['把', '厨房', '的', '灯', '关掉'] as const;

/** a model folder as a user would download it: model.onnx + tokens.txt (NeMo CTC layout), and silero_vad.onnx */
export function writeSherpaModelFolder(dir: string, words: readonly string[] = KITCHEN_LIGHT_ON, opts: { vad?: boolean; layout?: 'nemo' | 'zipformer' | 'transducer' | 'paraformer' | 'sense-voice' } = {}): string {
  mkdirSync(dir, { recursive: true });
  if (opts.layout === 'paraformer' || opts.layout === 'sense-voice') {
    writeFileSync(join(dir, 'model.int8.onnx'), opts.layout === 'paraformer' ? paraformerPhraseModel(words) : senseVoicePhraseModel(words));
    writeFileSync(join(dir, 'tokens.txt'), opts.layout === 'paraformer' ? paraformerTokens(words) : senseVoiceTokens(words));
    if (opts.vad !== false) writeFileSync(join(dir, 'silero_vad.onnx'), energyVadModel());
    return dir;
  }
  if (opts.layout === 'transducer') {
    // the file names of sherpa-onnx's zipformer transducer archives
    for (const [part, bytes] of Object.entries(transducerPhraseModel(words))) writeFileSync(join(dir, `${part}-epoch-99-avg-1.onnx`), bytes);
  } else {
    writeFileSync(join(dir, opts.layout === 'zipformer' ? 'model.int8.onnx' : 'model.onnx'), ctcPhraseModel(words, opts.layout));
  }
  writeFileSync(join(dir, 'tokens.txt'), phraseTokens(words));
  if (opts.vad !== false) writeFileSync(join(dir, 'silero_vad.onnx'), energyVadModel());
  return dir;
}
