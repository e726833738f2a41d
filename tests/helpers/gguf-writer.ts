/**
 * A GGUF (version 3) writer: typed metadata and F32 tensors into one file, as llama.cpp reads it
 * (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md). Enough to make a tiny model a test can load.
 */
import { writeFileSync } from 'node:fs';

/** GGUF metadata value types */
const T = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12 } as const;
type Scalar = 'u32' | 'i32' | 'f32' | 'bool' | 'string' | 'u64';

export type GgufValue =
  | { type: Scalar; value: number | boolean | string | bigint }
  | { type: 'array'; of: 'string'; value: readonly string[] }
  | { type: 'array'; of: 'f32' | 'i32'; value: readonly number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: ne[0] is the fastest-moving dimension (a row's length) */
  dims: readonly number[];
  data: Float32Array;
}

const GGML_TYPE_F32 = 0;
const ALIGNMENT = 32;

class Out {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(): void {
    const rest = this.length % ALIGNMENT;
    if (rest) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeScalar(out: Out, type: Scalar, v: number | boolean | string | bigint): void {
  switch (type) {
    case 'u32':
      return out.u32(Number(v));
    case 'i32':
      return out.i32(Number(v));
    case 'f32':
      return out.f32(Number(v));
    case 'u64':
      return out.u64(typeof v === 'bigint' ? v : Number(v));
    case 'bool':
      return out.push(Buffer.from([v ? 1 : 0]));
    case 'string':
      return out.str(String(v));
  }
}

export function encodeGguf(metadata: Record<string, GgufValue>, tensors: readonly GgufTensor[]): Buffer {
  const out = new Out();
  out.push(Buffer.from('GGUF', 'ascii'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(Object.keys(metadata).length);
  for (const [key, v] of Object.entries(metadata)) {
    out.str(key);
    if (v.type === 'array') {
      out.u32(T.array);
      out.u32(T[v.of]);
      out.u64(v.value.length);
      for (const item of v.value) writeScalar(out, v.of, item);
    } else {
      out.u32(T[v.type]);
      writeScalar(out, v.type, v.value);
    }
  }
  let offset = 0;
  for (const t of tensors) {
    const expected = t.dims.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new Error(`tensor ${t.name}: dims ${t.dims.join('x')} hold ${expected} values, got ${t.data.length}`);
    out.str(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(GGML_TYPE_F32);
    out.u64(offset);
    offset += Math.ceil(t.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  out.pad();
  for (const t of tensors) {
    out.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    out.pad();
  }
  return out.buffer();
}

export function writeGguf(file: string, metadata: Record<string, GgufValue>, tensors: readonly GgufTensor[]): number {
  const b = encodeGguf(metadata, tensors);
  writeFileSync(file, b);
  return b.length;
}
