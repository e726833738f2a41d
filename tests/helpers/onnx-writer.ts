/**
 * A small ONNX writer for tests: encodes ModelProto / GraphProto / NodeProto / TensorProto / ValueInfoProto (and
 * metadata_props) as protobuf, field numbers from onnx/onnx.proto. Enough to build the tiny graphs the speech tests
 * feed to onnxruntime through sherpa-onnx; no shape inference, no checking beyond what the runtime does on load.
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** protobuf bytes built field by field */
class Proto {
  private parts: Buffer[] = [];

  private tag(field: number, wire: number): void {
    this.parts.push(varint(BigInt((field << 3) | wire)));
  }

  int(field: number, v: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    // negative int64 values are ten-byte two's complement varints
    this.parts.push(varint(BigInt.asUintN(64, BigInt(v))));
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
    return this;
  }

  bytes(field: number, v: Buffer | Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.parts.push(varint(BigInt(v.length)), Buffer.from(v));
    return this;
  }

  string(field: number, v: string): this {
    return this.bytes(field, Buffer.from(v, 'utf8'));
  }

  message(field: number, m: Proto): this {
    return this.bytes(field, m.done());
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function varint(v: bigint): Buffer {
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

/** onnx TensorProto.DataType */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type ElemType = keyof typeof DataType;

export interface Tensor {
  name: string;
  type: ElemType;
  dims: number[];
  /** values in row-major order */
  values: readonly number[];
}

export type Attribute = number | readonly number[] | string | { tensor: Tensor } | { float: number } | { floats: readonly number[] };

export interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, Attribute>;
  name?: string;
}

export interface ValueInfo {
  name: string;
  type: ElemType;
  /** a number is a fixed size, a string a symbolic one ('T') */
  shape: Array<number | string>;
}

export interface Model {
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers?: Tensor[];
  metadata?: Record<string, string>;
  opset?: number;
  graphName?: string;
}

function tensorProto(t: Tensor): Proto {
  const p = new Proto();
  for (const d of t.dims) p.int(1, d);
  p.int(2, DataType[t.type]);
  p.string(8, t.name);
  let raw: Buffer;
  switch (t.type) {
    case 'FLOAT':
      raw = Buffer.from(new Float32Array(t.values).buffer);
      break;
    case 'INT64':
      raw = Buffer.from(new BigInt64Array(t.values.map((v) => BigInt(v))).buffer);
      break;
    case 'INT32':
      raw = Buffer.from(new Int32Array(t.values).buffer);
      break;
    case 'BOOL':
      raw = Buffer.from(t.values.map((v) => (v ? 1 : 0)));
      break;
  }
  p.bytes(9, raw);
  return p;
}

function attributeProto(name: string, a: Attribute): Proto {
  const p = new Proto().string(1, name);
  // AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7
  if (typeof a === 'number') return p.int(3, a).int(20, 2);
  if (typeof a === 'string') return p.bytes(4, Buffer.from(a)).int(20, 3);
  if ('tensor' in a) return p.message(5, tensorProto(a.tensor)).int(20, 4);
  if ('float' in a) return p.float(2, a.float).int(20, 1);
  if ('floats' in a) {
    for (const v of a.floats) p.float(7, v);
    return p.int(20, 6);
  }
  for (const v of a) p.int(8, v);
  return p.int(20, 7);
}

function valueInfoProto(v: ValueInfo): Proto {
  const shape = new Proto();
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new Proto().int(1, d) : new Proto().string(2, d));
  const tensorType = new Proto().int(1, DataType[v.type]).message(2, shape);
  return new Proto().string(1, v.name).message(2, new Proto().message(1, tensorType));
}

/** the model as the bytes of an .onnx file */
export function encodeOnnx(m: Model): Buffer {
  const graph = new Proto();
  m.nodes.forEach((n, i) => {
    const node = new Proto();
    for (const x of n.inputs) node.string(1, x);
    for (const x of n.outputs) node.string(2, x);
    node.string(3, n.name ?? `${n.op}_${i}`);
    node.string(4, n.op);
    for (const [k, a] of Object.entries(n.attrs ?? {})) node.message(5, attributeProto(k, a));
    graph.message(1, node);
  });
  graph.string(2, m.graphName ?? 'test_graph');
  for (const t of m.initializers ?? []) graph.message(5, tensorProto(t));
  for (const v of m.inputs) graph.message(11, valueInfoProto(v));
  for (const v of m.outputs) graph.message(12, valueInfoProto(v));

  const model = new Proto()
    .int(1, 8) // IR version 8 (onnx 1.10+), which onnxruntime reads for opset 13
    .string(2, 'steward-tests')
    .string(3, '1')
    .message(7, graph)
    .message(8, new Proto().string(1, '').int(2, m.opset ?? 13));
  for (const [k, v] of Object.entries(m.metadata ?? {})) model.message(14, new Proto().string(1, k).string(2, v));
  return model.done();
}
