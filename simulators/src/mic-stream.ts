import { z } from 'zod';
import type { AudioFrame, Pcm16 } from '@steward/device-adapters';

/**
 * A simulated microphone that streams: frames of what it "hears" at the pace of real audio (or `speed` times
 * faster), like a car's cabin microphone. Clips played into it (`listen {clip}`) are heard in turn; between them it
 * hears the room: digital silence, or a steady hiss at `noiseDb`.
 */
export const MicStreamOptionsSchema = z
  .object({
    sampleRate: z.number().int().min(8000).max(48_000).default(16_000),
    frameMs: z.number().int().min(10).max(100).default(20),
    /** 1 = real time; 4 = four seconds of audio per second (tests) */
    speed: z.number().min(0.25).max(20).default(1),
    /** the room between clips (dBFS); absent: digital silence */
    noiseDb: z.number().min(-90).max(-20).optional(),
  })
  .strict();
export type MicStreamOptions = z.infer<typeof MicStreamOptionsSchema>;

/** clips waiting to be heard: at most this much audio (a test rig that queues more is doing something wrong) */
const MAX_QUEUED_SECONDS = 120;

/** linear interpolation: good enough for a simulator's speech (espeak's 22.05 kHz into a 16 kHz microphone) */
export function resample(pcm: Pcm16, rate: number): Int16Array {
  if (pcm.sampleRate === rate) return pcm.samples;
  const n = Math.floor((pcm.samples.length * rate) / pcm.sampleRate);
  const out = new Int16Array(n);
  const step = pcm.sampleRate / rate;
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const k = Math.floor(x);
    const a = pcm.samples[k] ?? 0;
    const b = pcm.samples[k + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - k));
  }
  return out;
}

export class MicStream {
  private readonly frameLen: number;
  private readonly queue: { samples: Int16Array; lang?: string }[] = [];
  private queuedSamples = 0;
  private offset = 0;
  private emitted = 0;
  private readonly startedAt = Date.now();
  private readonly timer: NodeJS.Timeout;
  /** a deterministic hiss (xorshift), so a run can be repeated */
  private seed = 0x2545f491;

  constructor(
    private readonly o: MicStreamOptions,
    private readonly emit: (frame: AudioFrame) => void,
  ) {
    this.frameLen = Math.round((o.sampleRate * o.frameMs) / 1000);
    // the frames owed since the start are sent on each tick: a late timer never slows the stream down
    this.timer = setInterval(() => this.tick(), Math.max(5, Math.floor(o.frameMs / o.speed))).unref();
  }

  /** plays a clip into the stream after the ones already queued; returns the seconds of audio now waiting */
  play(clip: Pcm16, lang?: string): number {
    const samples = resample(clip, this.o.sampleRate);
    if ((this.queuedSamples + samples.length) / this.o.sampleRate > MAX_QUEUED_SECONDS) throw new RangeError(`more than ${MAX_QUEUED_SECONDS} s of audio queued`);
    this.queue.push({ samples, ...(lang ? { lang } : {}) });
    this.queuedSamples += samples.length;
    return this.queuedSamples / this.o.sampleRate;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const owed = Math.floor(((Date.now() - this.startedAt) * this.o.speed) / this.o.frameMs);
    // bounded: after a stall (a paused process) at most a second of frames at once
    const n = Math.min(owed - this.emitted, Math.ceil(1000 / this.o.frameMs));
    for (let k = 0; k < n; k++) this.emit(this.nextFrame());
    this.emitted = owed;
  }

  private nextFrame(): AudioFrame {
    const frame = new Int16Array(this.frameLen);
    let lang: string | undefined;
    let at = 0;
    while (at < frame.length && this.queue.length > 0) {
      const clip = this.queue[0]!;
      lang ??= clip.lang;
      const n = Math.min(frame.length - at, clip.samples.length - this.offset);
      frame.set(clip.samples.subarray(this.offset, this.offset + n), at);
      at += n;
      this.offset += n;
      this.queuedSamples -= n;
      if (this.offset >= clip.samples.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    if (this.o.noiseDb !== undefined) {
      // uniform noise of this RMS: amplitude * sqrt(1/3)
      const amp = 32768 * 10 ** (this.o.noiseDb / 20) * Math.sqrt(3);
      for (let i = 0; i < frame.length; i++) frame[i] = Math.max(-32768, Math.min(32767, frame[i]! + Math.round(amp * (2 * this.random() - 1))));
    }
    return { samples: frame, sampleRate: this.o.sampleRate, ...(lang ? { lang } : {}) };
  }

  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 0x100000000;
  }
}
