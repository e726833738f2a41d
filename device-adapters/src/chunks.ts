import { StewardError } from './errors.ts';

/**
 * One payload sent in numbered chunks (a spoken utterance from a node to the hub, a long spoken reply from the hub
 * to a node): each chunk at most once, never more bytes than announced, and whole only at exactly that size.
 * Both ends of the voice topics reassemble with it, so they refuse the same things with the same words.
 */
export class ChunkAssembly {
  private readonly parts: (Buffer | undefined)[];
  private received = 0;
  private bytes = 0;

  constructor(
    readonly total: number,
    readonly totalBytes: number,
  ) {
    this.parts = new Array<Buffer | undefined>(total).fill(undefined);
  }

  /** every chunk is in (whether or not the size then matched) */
  get complete(): boolean {
    return this.received === this.total;
  }

  /** Adds chunk `seq` (the caller checked it is under `total`): the whole payload once every chunk is in, else undefined. */
  add(seq: number, data: Buffer): Buffer | undefined {
    if (this.parts[seq]) throw new StewardError('BAD_REQUEST', `chunk ${seq} came twice`);
    this.bytes += data.length;
    if (this.bytes > this.totalBytes) throw new StewardError('PAYLOAD_TOO_LARGE', `the chunks hold more than the ${this.totalBytes} bytes announced`);
    this.parts[seq] = data;
    this.received += 1;
    if (!this.complete) return undefined;
    if (this.bytes !== this.totalBytes) throw new StewardError('BAD_REQUEST', `the chunks hold ${this.bytes} bytes, not the ${this.totalBytes} announced`);
    return Buffer.concat(this.parts as Buffer[]);
  }

  /** the numbers of the chunks not received yet */
  missing(): number[] {
    return this.parts.flatMap((part, i) => (part ? [] : [i]));
  }
}
