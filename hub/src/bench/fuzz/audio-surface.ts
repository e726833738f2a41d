import type { Prng } from './prng.ts';

/** a WAV file (RIFF, PCM) with the header fields given, around `data`; lying fields are the point */
function wav(data: Buffer, f: { format?: number; channels?: number; rate?: number; bits?: number; riffSize?: number; dataSize?: number } = {}): Buffer {
  const channels = f.channels ?? 1;
  const rate = f.rate ?? 16_000;
  const bits = f.bits ?? 16;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(f.riffSize ?? 36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(f.format ?? 1, 20);
  h.writeUInt16LE(channels & 0xffff, 22);
  h.writeUInt32LE(rate >>> 0, 24);
  h.writeUInt32LE(((rate * channels * bits) / 8) >>> 0, 28);
  h.writeUInt16LE(((channels * bits) / 8) & 0xffff, 32);
  h.writeUInt16LE(bits & 0xffff, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(f.dataSize ?? data.length, 40);
  return Buffer.concat([h, data]);
}

/** 16-bit mono samples: noise at the given amplitude (0 = silence) */
function samples(p: Prng, seconds: number, amplitude: number): Buffer {
  const n = Math.floor(seconds * 16_000);
  const b = Buffer.alloc(n * 2);
  if (amplitude > 0) for (let i = 0; i < n; i++) b.writeInt16LE(Math.round((p.next() * 2 - 1) * amplitude), i * 2);
  return b;
}

/**
 * Hostile audio to `POST /api/voice` (each costs a decoder run, so the fuzzer sends few): WAV files whose header
 * lies (sizes, format, channels, rate, bits), truncated ones, noise and silence, too long and too big ones,
 * containers that are not (an Ogg or WebM signature over random bytes), and broken multipart uploads.
 */
export class AudioSurface {
  constructor(private readonly opts: { httpUrl: string; token: string }) {}

  private input(p: Prng): [string, string, Buffer] {
    return p.pick<() => [string, string, Buffer]>([
      () => ['wav-noise', 'audio/wav', wav(samples(p, p.next() * 2 + 0.1, p.int(100, 30_000)))],
      () => ['wav-silence', 'audio/wav', wav(samples(p, p.next() * 2 + 0.1, 0))],
      () => ['wav-sizes-lie', 'audio/wav', wav(samples(p, 0.3, 2000), { riffSize: p.pick([0, 0xffffffff, 7]), dataSize: p.pick([0, 0xffffffff, 1, 100_000_000]) })],
      () => ['wav-format', 'audio/wav', wav(samples(p, 0.3, 2000), { format: p.pick([0, 2, 3, 0xfffe, 0xffff]), channels: p.pick([0, 2, 6, 65535]), rate: p.pick([0, 1, 8000, 192_000, 0xffffffff]), bits: p.pick([0, 7, 8, 24, 32, 65535]) })],
      () => {
        const w = wav(samples(p, 0.5, 3000));
        return ['wav-truncated', 'audio/wav', w.subarray(0, p.int(0, w.length - 1))];
      },
      () => ['wav-too-long', 'audio/wav', wav(samples(p, 31, 0))],
      () => ['too-big', 'audio/wav', Buffer.concat([wav(samples(p, 0.1, 0)), Buffer.alloc(2 * 1024 * 1024)])],
      () => ['not-audio', p.pick(['audio/wav', 'audio/mpeg', 'application/octet-stream']), p.bytes(p.int(1, 8192))],
      () => ['fake-container', p.pick(['audio/ogg', 'audio/webm', 'audio/mpeg']), Buffer.concat([Buffer.from(p.pick(['OggS', '\x1aE\xdf\xa3', 'ID3', '\xff\xfb'])), p.bytes(p.int(0, 8192))])],
      () => {
        const boundary = p.pick(['x', 'fuzz-boundary', '']);
        const body = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.pick(['file', 'audio', ''])}"; filename="${p.pick(['a.wav', 'a.ogg', '../../x', ''])}"\r\nContent-Type: ${p.pick(['audio/wav', 'text/plain', 'audio/ogg'])}\r\n\r\n`),
          p.chance(0.5) ? wav(samples(p, 0.3, 2000)) : p.bytes(p.int(0, 2048)),
          Buffer.from(p.chance(0.7) ? `\r\n--${boundary}--\r\n` : ''),
        ]);
        return ['multipart', `multipart/form-data; boundary=${p.pick([boundary, 'other'])}`, body];
      },
    ])();
  }

  async send(p: Prng): Promise<string> {
    const [kind, type, body] = this.input(p);
    const query = p.pick(['', '?lang=zh', '?lang=en&reply=audio', '?area=kitchen&conversationId=fuzz', '?lang=xx&reply=maybe']);
    try {
      const res = await fetch(`${this.opts.httpUrl}/api/voice${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': type },
        body: new Uint8Array(body),
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      if (res.status >= 500 && res.status !== 503) return `audio 5xx ${res.status} ${kind}`;
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') return `audio timeout ${kind}`;
    }
    return `audio ${kind}`;
  }
}
