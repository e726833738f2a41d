/**
 * The Wyoming protocol (rhasspy/wyoming), as Home Assistant's voice services speak it over TCP: each event is one
 * JSON header line `{"type", "data"?, "data_length"?, "payload_length"?}\n`, then `data_length` bytes of JSON
 * that extend `data`, then `payload_length` bytes of binary payload (audio). Used here: describe/info,
 * transcribe → audio-start/audio-chunk/audio-stop → transcript (wyoming-faster-whisper), and synthesize →
 * audio-start/audio-chunk/audio-stop (wyoming-piper).
 */
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';

export interface WyomingEvent {
  type: string;
  data: Record<string, unknown>;
  payload?: Buffer;
}

const HeaderSchema = z.object({
  type: z.string().min(1).max(100),
  data: z.record(z.string(), z.unknown()).optional(),
  data_length: z.number().int().min(0).max(1_000_000).optional(),
  payload_length: z.number().int().min(0).max(16 * 1024 * 1024).optional(),
  version: z.string().optional(),
});

export function encodeEvent(e: WyomingEvent): Buffer {
  const header: Record<string, unknown> = { type: e.type, version: '1.5.2' };
  const data = Buffer.from(JSON.stringify(e.data), 'utf8');
  if (Object.keys(e.data).length) header.data_length = data.length;
  if (e.payload) header.payload_length = e.payload.length;
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...(Object.keys(e.data).length ? [data] : []), ...(e.payload ? [e.payload] : [])]);
}

/** Incremental decoder: feed bytes as they arrive, get whole events. */
export class EventDecoder {
  private buf = Buffer.alloc(0);
  private pending: { header: z.infer<typeof HeaderSchema>; need: number } | undefined;

  push(chunk: Buffer): WyomingEvent[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: WyomingEvent[] = [];
    for (;;) {
      if (!this.pending) {
        const nl = this.buf.indexOf(0x0a);
        if (nl === -1) {
          if (this.buf.length > 64 * 1024) throw new StewardError('BAD_REQUEST', 'Wyoming header line longer than 64 KiB');
          return out;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(this.buf.subarray(0, nl).toString('utf8'));
        } catch {
          throw new StewardError('BAD_REQUEST', 'Wyoming header is not JSON');
        }
        const header = HeaderSchema.safeParse(parsed);
        if (!header.success) throw new StewardError('BAD_REQUEST', `Wyoming header is not valid: ${header.error.issues[0]?.message}`);
        this.buf = this.buf.subarray(nl + 1);
        this.pending = { header: header.data, need: (header.data.data_length ?? 0) + (header.data.payload_length ?? 0) };
      }
      if (this.buf.length < this.pending.need) return out;
      const { header } = this.pending;
      const dl = header.data_length ?? 0;
      let data: Record<string, unknown> = { ...(header.data ?? {}) };
      if (dl) {
        try {
          data = { ...data, ...(JSON.parse(this.buf.subarray(0, dl).toString('utf8')) as Record<string, unknown>) };
        } catch {
          throw new StewardError('BAD_REQUEST', 'Wyoming event data is not JSON');
        }
      }
      const pl = header.payload_length ?? 0;
      out.push({ type: header.type, data, ...(pl ? { payload: Buffer.from(this.buf.subarray(dl, dl + pl)) } : {}) });
      this.buf = this.buf.subarray(dl + pl);
      this.pending = undefined;
    }
  }
}
