import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * Follows MQTT packet boundaries in a byte stream (MQTT 3.1.1 §2.2: one type byte, then the Remaining Length in
 * 1-4 bytes of 7 bits each) and reports a packet larger than the limit as soon as its length is known, before its
 * body is buffered. aedes and mqtt-packet have no size limit for MQTT 3.1.1, so the broker enforces one here.
 */
export class PacketSizeScanner {
  private phase: 'type' | 'length' | 'body' = 'type';
  private bodyLeft = 0;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Returns the size of the first packet over the limit, or undefined while every packet fits. */
  feed(chunk: Buffer): number | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'body') {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.phase = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (this.phase === 'type') {
        this.phase = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (byte & 0x80) {
        // MQTT-2.2.3: at most four length bytes; a fifth is malformed, treated as too large
        if (this.lengthBytes === 4) return Number.POSITIVE_INFINITY;
        continue;
      }
      const total = 1 + this.lengthBytes + this.length;
      if (total > this.maxBytes) return total;
      this.bodyLeft = this.length;
      this.phase = this.bodyLeft === 0 ? 'type' : 'body';
    }
    return undefined;
  }
}

/**
 * Wraps a client socket for aedes: bytes pass through unchanged until a packet over `maxBytes` starts, then the
 * connection is closed (MQTT 3.1.1 has no way to refuse one packet) and `onTooLarge` says who sent what.
 */
export class SizeGuardedConnection extends Duplex {
  private readonly scanner: PacketSizeScanner;

  constructor(
    private readonly socket: Socket,
    maxBytes: number,
    onTooLarge: (bytes: number) => void,
  ) {
    super();
    this.scanner = new PacketSizeScanner(maxBytes);
    socket.on('data', (chunk: Buffer) => {
      const tooLarge = this.scanner.feed(chunk);
      if (tooLarge !== undefined) {
        onTooLarge(tooLarge);
        this.destroy();
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.socket.write(chunk)) done();
    else this.socket.once('drain', () => done());
  }

  override _final(done: (error?: Error | null) => void): void {
    this.socket.end();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.socket.destroy();
    done(error);
  }
}
