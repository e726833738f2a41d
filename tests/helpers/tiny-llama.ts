/**
 * A tiny llama-architecture model with random weights, a small SentencePiece-style vocabulary (control tokens,
 * the 256 byte tokens, printable ASCII and a few words) and a ChatML chat template: a few hundred KB that llama.cpp
 * loads like any GGUF. It knows nothing; it exists to test loading, the template and grammar-constrained output.
 */
import { writeGguf, type GgufTensor, type GgufValue } from './gguf-writer.ts';

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export interface TinyLlamaOptions {
  seed?: number;
  embd?: number;
  heads?: number;
  layers?: number;
  ff?: number;
  context?: number;
}

/** a small deterministic generator (mulberry32), so a seed gives the same model */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tinyLlamaVocabulary(): { tokens: string[]; types: number[]; scores: number[] } {
  const tokens: string[] = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'];
  const types: number[] = [TYPE.unknown, TYPE.control, TYPE.control, TYPE.control, TYPE.control];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TYPE.byte);
  }
  const pieces = ['▁'];
  for (let c = 33; c < 127; c++) pieces.push(String.fromCharCode(c));
  pieces.push('▁{', '▁"', '":', '",', 'name', 'arguments', 'user', 'assistant', 'system', '▁the', '▁turn', '▁on', '▁light');
  for (const p of pieces) {
    tokens.push(p);
    types.push(TYPE.normal);
  }
  // SentencePiece merges by score: longer pieces win
  const scores = tokens.map((t, i) => (types[i] === TYPE.normal ? t.length : 0));
  return { tokens, types, scores };
}

/** Writes the model; returns its size in bytes. */
export function writeTinyLlama(file: string, opts: TinyLlamaOptions = {}): number {
  const embd = opts.embd ?? 64;
  const heads = opts.heads ?? 4;
  const layers = opts.layers ?? 2;
  const ff = opts.ff ?? 128;
  const context = opts.context ?? 4096;
  const rand = random(opts.seed ?? 42);
  const { tokens, types, scores } = tinyLlamaVocabulary();
  const vocab = tokens.length;

  const weights = (n: number, scale = 0.08) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const ones = (n: number) => new Float32Array(n).fill(1);
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [embd, vocab], data: weights(embd * vocab, 0.5) },
    { name: 'output_norm.weight', dims: [embd], data: ones(embd) },
    { name: 'output.weight', dims: [embd, vocab], data: weights(embd * vocab, 0.5) },
  ];
  for (let i = 0; i < layers; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `blk.${i}.attn_q.weight`, dims: [embd, embd], data: weights(embd * embd) },
      { name: `blk.${i}.attn_k.weight`, dims: [embd, embd], data: weights(embd * embd) },
      { name: `blk.${i}.attn_v.weight`, dims: [embd, embd], data: weights(embd * embd) },
      { name: `blk.${i}.attn_output.weight`, dims: [embd, embd], data: weights(embd * embd) },
      { name: `blk.${i}.ffn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `blk.${i}.ffn_gate.weight`, dims: [embd, ff], data: weights(embd * ff) },
      { name: `blk.${i}.ffn_up.weight`, dims: [embd, ff], data: weights(embd * ff) },
      { name: `blk.${i}.ffn_down.weight`, dims: [ff, embd], data: weights(ff * embd) },
    );
  }
  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: 'steward-tiny-random' },
    'general.alignment': u32(32),
    'llama.context_length': u32(context),
    'llama.embedding_length': u32(embd),
    'llama.block_count': u32(layers),
    'llama.feed_forward_length': u32(ff),
    'llama.attention.head_count': u32(heads),
    'llama.attention.head_count_kv': u32(heads),
    'llama.rope.dimension_count': u32(embd / heads),
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.vocab_size': u32(vocab),
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'array', of: 'string', value: tokens },
    'tokenizer.ggml.scores': { type: 'array', of: 'f32', value: scores },
    'tokenizer.ggml.token_type': { type: 'array', of: 'i32', value: types },
    'tokenizer.ggml.unknown_token_id': u32(0),
    'tokenizer.ggml.bos_token_id': u32(1),
    'tokenizer.ggml.eos_token_id': u32(tokens.indexOf('<|im_end|>')),
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: false },
    'tokenizer.chat_template': { type: 'string', value: CHATML_TEMPLATE },
  };
  return writeGguf(file, metadata, tensors);
}
