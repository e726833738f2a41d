import { z } from 'zod';

/**
 * Voice activity on the node: finds utterances in a microphone's continuous stream, in plain TypeScript (an agent
 * stays light: no native detector). Each frame's energy is compared with an adaptive noise floor, the quietest
 * frame of the last `floorWindowMs` (a noise that rises slowly, an engine, a fan, is followed; the pauses between
 * words keep the floor down while someone speaks). A frame is speech when it is `thresholdDb` above the floor and
 * above `minLevelDb` (a microphone in digital silence has no floor worth comparing with).
 *
 * Speech for `onsetMs` starts an utterance, which keeps the `preRollMs` before it (the first syllable's soft start
 * is under the threshold); `hangoverMs` without speech ends it (the pauses between words do not); less than
 * `minSpeechMs` of speech is dropped (a click, a door); `maxUtteranceMs` cuts it, and the next one needs a pause
 * first (a steady noise is not sent again and again).
 */
export const VadOptionsSchema = z
  .object({
    /** analysis frame */
    frameMs: z.number().int().min(10).max(50).default(20),
    /** how far above the noise floor a frame must be to count as speech (dB) */
    thresholdDb: z.number().min(3).max(40).default(12),
    /** and above this level (dBFS): quieter is never speech */
    minLevelDb: z.number().min(-90).max(-10).default(-50),
    /** the noise floor is the quietest frame in this window */
    floorWindowMs: z.number().int().min(500).max(30_000).default(3000),
    /** speech this long starts an utterance */
    onsetMs: z.number().int().min(0).max(1000).default(60),
    /** no speech this long ends it (kept at the end of the utterance) */
    hangoverMs: z.number().int().min(100).max(3000).default(500),
    /** shorter speech is not sent */
    minSpeechMs: z.number().int().min(20).max(5000).default(250),
    /** an utterance is cut here (the hub takes at most 30 s) */
    maxUtteranceMs: z.number().int().min(1000).max(30_000).default(10_000),
    /** audio kept before the onset */
    preRollMs: z.number().int().min(0).max(2000).default(300),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.minSpeechMs + o.preRollMs + o.hangoverMs >= o.maxUtteranceMs) {
      ctx.addIssue({ code: 'custom', path: ['maxUtteranceMs'], message: 'maxUtteranceMs must be longer than preRollMs + minSpeechMs + hangoverMs' });
    }
  });
export type VadOptions = z.infer<typeof VadOptionsSchema>;

export interface DetectedUtterance {
  /** mono 16-bit PCM: pre-roll, speech and hangover */
  samples: Int16Array;
  sampleRate: number;
  /** stream times (ms since the stream's first sample) */
  startMs: number;
  endMs: number;
  /** the first and last speech frame's start and end */
  speechStartMs: number;
  speechEndMs: number;
  /** ended by maxUtteranceMs, not by a pause */
  cut: boolean;
}

const FULL_SCALE = 32768;

/** a frame's level in dBFS (digital silence: -120) */
export function levelDb(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i]! * frame[i]!;
  const rms = Math.sqrt(sum / Math.max(1, frame.length));
  return rms === 0 ? -120 : Math.max(-120, 20 * Math.log10(rms / FULL_SCALE));
}

type Phase = 'quiet' | 'speech' | 'waitQuiet';

/** One stream's segmenter: push samples as they come, utterances come out through the callback. */
export class VoiceActivitySegmenter {
  readonly frameLen: number;
  private readonly o: VadOptions;
  private partial: Int16Array;
  private partialLen = 0;
  /** frames analysed so far */
  private index = 0;
  /** (frame, level) with increasing levels: the front is the window's minimum */
  private readonly floorQueue: { i: number; db: number }[] = [];
  /** the last frames, for the pre-roll */
  private readonly history: Int16Array[] = [];
  private readonly historyMax: number;
  private phase: Phase = 'quiet';
  private speechRun = 0;
  private silenceRun = 0;
  private frames: Int16Array[] = [];
  private startFrame = 0;
  private speechStart = 0;
  private lastSpeech = 0;

  constructor(
    options: VadOptions,
    readonly sampleRate: number,
    private readonly onUtterance: (u: DetectedUtterance) => void,
  ) {
    this.o = options;
    this.frameLen = Math.max(1, Math.round((sampleRate * options.frameMs) / 1000));
    this.partial = new Int16Array(this.frameLen);
    this.historyMax = this.framesIn(options.preRollMs) + this.framesIn(Math.max(options.onsetMs, options.frameMs)) + 1;
  }

  push(samples: Int16Array): void {
    let at = 0;
    while (at < samples.length) {
      const n = Math.min(this.frameLen - this.partialLen, samples.length - at);
      this.partial.set(samples.subarray(at, at + n), this.partialLen);
      this.partialLen += n;
      at += n;
      if (this.partialLen === this.frameLen) {
        this.frame(this.partial);
        this.partial = new Int16Array(this.frameLen);
        this.partialLen = 0;
      }
    }
  }

  /** the noise floor now (dBFS) */
  get floorDb(): number {
    return this.floorQueue[0]?.db ?? -120;
  }

  private framesIn(ms: number): number {
    return Math.ceil(ms / this.o.frameMs);
  }

  private ms(frames: number): number {
    return (frames * this.frameLen * 1000) / this.sampleRate;
  }

  private frame(f: Int16Array): void {
    const i = this.index++;
    const db = levelDb(f);
    // the window's minimum, kept in a monotonic queue
    while (this.floorQueue.length > 0 && this.floorQueue[this.floorQueue.length - 1]!.db >= db) this.floorQueue.pop();
    this.floorQueue.push({ i, db });
    const window = this.framesIn(this.o.floorWindowMs);
    while (this.floorQueue[0]!.i <= i - window) this.floorQueue.shift();
    const speech = db >= this.o.minLevelDb && db >= this.floorDb + this.o.thresholdDb;

    this.history.push(f);
    if (this.history.length > this.historyMax) this.history.shift();

    if (this.phase === 'quiet') {
      this.speechRun = speech ? this.speechRun + 1 : 0;
      if (speech && this.speechRun >= Math.max(1, this.framesIn(this.o.onsetMs))) {
        this.speechStart = i - this.speechRun + 1;
        this.startFrame = Math.max(this.speechStart - this.framesIn(this.o.preRollMs), i - this.history.length + 1, 0);
        this.frames = this.history.slice(this.history.length - (i - this.startFrame + 1));
        this.lastSpeech = i;
        this.silenceRun = 0;
        this.phase = 'speech';
      }
      return;
    }
    if (this.phase === 'waitQuiet') {
      this.silenceRun = speech ? 0 : this.silenceRun + 1;
      if (this.silenceRun >= this.framesIn(this.o.hangoverMs)) this.toQuiet();
      return;
    }
    this.frames.push(f);
    if (speech) {
      this.lastSpeech = i;
      this.silenceRun = 0;
    } else this.silenceRun += 1;
    if (this.silenceRun >= this.framesIn(this.o.hangoverMs)) {
      this.finish(false);
      this.toQuiet();
    } else if (this.ms(this.frames.length) >= this.o.maxUtteranceMs) {
      this.finish(true);
      this.phase = 'waitQuiet';
      this.silenceRun = 0;
    }
  }

  private toQuiet(): void {
    this.phase = 'quiet';
    this.speechRun = 0;
    this.silenceRun = 0;
  }

  private finish(cut: boolean): void {
    const frames = this.frames;
    this.frames = [];
    if (this.ms(this.lastSpeech - this.speechStart + 1) < this.o.minSpeechMs) return;
    const samples = new Int16Array(frames.length * this.frameLen);
    frames.forEach((f, k) => samples.set(f, k * this.frameLen));
    this.onUtterance({
      samples,
      sampleRate: this.sampleRate,
      startMs: this.ms(this.startFrame),
      endMs: this.ms(this.startFrame + frames.length),
      speechStartMs: this.ms(this.speechStart),
      speechEndMs: this.ms(this.lastSpeech + 1),
      cut,
    });
  }
}
