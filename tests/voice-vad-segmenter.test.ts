/**
 * The node agent's voice activity segmenter (node-agent/src/voice/vad.ts) on generated signals: a tone stands for
 * speech, a seeded hiss for the room. Every boundary is known from the signal and the options, and is asserted to
 * within one analysis frame (TOLERANCE_MS, 20 ms): the segmenter decides per frame.
 */
import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from '@steward/node-agent';
import { VadOptionsSchema, VoiceActivitySegmenter, levelDb, type DetectedUtterance } from '@steward/node-agent/voice/vad.ts';

const RATE = 16_000;
const TOLERANCE_MS = 20;
const DEFAULTS = VadOptionsSchema.parse({});

/** a signal made of parts: [ms, dBFS of the tone (speech) or null, dBFS of the hiss or null] */
type Part = [ms: number, toneDb: number | null, noiseDb: number | null];

function signal(parts: Part[], seed = 1): Int16Array {
  const total = parts.reduce((n, [ms]) => n + (ms * RATE) / 1000, 0);
  const out = new Int16Array(total);
  let x = seed;
  let at = 0;
  for (const [ms, toneDb, noiseDb] of parts) {
    const n = (ms * RATE) / 1000;
    for (let i = 0; i < n; i++, at++) {
      let v = 0;
      // a sine of this RMS: amplitude * sqrt(1/2)
      if (toneDb !== null) v += 32768 * 10 ** (toneDb / 20) * Math.SQRT2 * Math.sin((2 * Math.PI * 220 * at) / RATE);
      if (noiseDb !== null) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        v += 32768 * 10 ** (noiseDb / 20) * Math.sqrt(3) * (2 * ((x >>> 0) / 0x100000000) - 1);
      }
      out[at] = Math.max(-32768, Math.min(32767, Math.round(v)));
    }
  }
  return out;
}

/** pushes the signal in uneven pieces, as a driver would */
function segment(samples: Int16Array, options: Partial<typeof DEFAULTS> = {}): DetectedUtterance[] {
  const found: DetectedUtterance[] = [];
  const s = new VoiceActivitySegmenter(VadOptionsSchema.parse(options), RATE, (u) => found.push(u));
  for (let at = 0, k = 0; at < samples.length; k++) {
    const n = [317, 1000, 64, 2400][k % 4]!;
    s.push(samples.subarray(at, at + n));
    at += n;
  }
  return found;
}

function expectBoundaries(u: DetectedUtterance | undefined, b: { startMs: number; speechStartMs: number; speechEndMs: number; endMs: number }): void {
  if (!u) throw new Error(`no utterance where one was expected (${JSON.stringify(b)})`);
  for (const key of ['startMs', 'speechStartMs', 'speechEndMs', 'endMs'] as const) {
    expect(Math.abs(u[key] - b[key]), `${key}: ${u[key]} ms, expected ${b[key]} ms`).toBeLessThanOrEqual(TOLERANCE_MS);
  }
  // the audio is exactly the span it says
  expect(u.samples.length).toBe(Math.round(((u.endMs - u.startMs) * RATE) / 1000));
}

describe('voice activity segmenter', () => {
  it('the defaults', () => {
    expect(DEFAULTS).toEqual({ frameMs: 20, thresholdDb: 12, minLevelDb: -50, floorWindowMs: 3000, onsetMs: 60, hangoverMs: 500, minSpeechMs: 250, maxUtteranceMs: 10_000, preRollMs: 300 });
    expect(levelDb(new Int16Array(320))).toBe(-120);
    expect(levelDb(signal([[100, -20, null]]))).toBeCloseTo(-20, 1);
  });

  it('one second of speech in a quiet room: pre-roll before it, hangover after it', () => {
    const u = segment(signal([[1000, null, -60], [1000, -20, -60], [2000, null, -60]]));
    expect(u).toHaveLength(1);
    expectBoundaries(u[0], { startMs: 700, speechStartMs: 1000, speechEndMs: 2000, endMs: 2500 });
    expect(u[0]!.cut).toBe(false);
    // the pre-roll holds the room, the speech starts 300 ms in
    expect(levelDb(u[0]!.samples.subarray(0, 4000))).toBeLessThan(-55);
    expect(levelDb(u[0]!.samples.subarray(4800, 8000))).toBeCloseTo(-20, 0);
  });

  it('the options move the boundaries: 100 ms pre-roll, 800 ms hangover', () => {
    const u = segment(signal([[1000, null, -60], [1000, -20, -60], [2000, null, -60]]), { preRollMs: 100, hangoverMs: 800 });
    expect(u).toHaveLength(1);
    expectBoundaries(u[0], { startMs: 900, speechStartMs: 1000, speechEndMs: 2000, endMs: 2800 });
  });

  it('speech at the very start of the stream keeps what there is (no pre-roll before sample 0)', () => {
    const u = segment(signal([[200, null, -60], [800, -20, -60], [1000, null, -60]]));
    expect(u).toHaveLength(1);
    expectBoundaries(u[0], { startMs: 0, speechStartMs: 200, speechEndMs: 1000, endMs: 1500 });
  });

  it('a pause shorter than the hangover stays inside the utterance; a longer one makes two', () => {
    const one = segment(signal([[500, null, -60], [600, -20, -60], [300, null, -60], [600, -20, -60], [1500, null, -60]]));
    expect(one).toHaveLength(1);
    expectBoundaries(one[0], { startMs: 200, speechStartMs: 500, speechEndMs: 2000, endMs: 2500 });
    const two = segment(signal([[500, null, -60], [600, -20, -60], [1000, null, -60], [600, -20, -60], [1500, null, -60]]));
    expect(two).toHaveLength(2);
    expectBoundaries(two[0], { startMs: 200, speechStartMs: 500, speechEndMs: 1100, endMs: 1600 });
    expectBoundaries(two[1], { startMs: 1800, speechStartMs: 2100, speechEndMs: 2700, endMs: 3200 });
  });

  it('silence, hiss and a click alone give nothing', () => {
    expect(segment(signal([[5000, null, null]]))).toEqual([]);
    expect(segment(signal([[5000, null, -45]]))).toEqual([]);
    // 100 ms of "speech" is under minSpeechMs (250)
    expect(segment(signal([[1000, null, -60], [100, -20, -60], [2000, null, -60]]))).toEqual([]);
    // loud enough above the floor but under minLevelDb (-50): a microphone in digital silence hears a faint hum
    expect(segment(signal([[1000, null, null], [1000, -55, null], [1000, null, null]]))).toEqual([]);
  });

  it('the noise floor adapts: speech over a loud steady noise is found; a noise rising slowly is not speech', () => {
    const loud = segment(signal([[3000, null, -35], [1000, -15, -35], [2000, null, -35]]));
    expect(loud).toHaveLength(1);
    expectBoundaries(loud[0], { startMs: 2700, speechStartMs: 3000, speechEndMs: 4000, endMs: 4500 });
    // 10 dB over 5 s (an engine speeding up): the floor follows it within its 3 s window
    const ramp: Part[] = Array.from({ length: 50 }, (_, k) => [100, null, -50 + k * 0.2] as Part);
    expect(segment(signal([[1000, null, -50], ...ramp, [3000, null, -40]]))).toEqual([]);
  });

  it('a long sound is cut at maxUtteranceMs, and the next utterance waits for a pause', () => {
    const u = segment(signal([[1000, null, -60], [14_000, -20, -60], [1000, null, -60], [600, -20, -60], [1000, null, -60]]), { floorWindowMs: 30_000 });
    expect(u).toHaveLength(2);
    expectBoundaries(u[0], { startMs: 700, speechStartMs: 1000, speechEndMs: 10_700, endMs: 10_700 });
    expect(u[0]!.cut).toBe(true);
    expectBoundaries(u[1], { startMs: 15_700, speechStartMs: 16_000, speechEndMs: 16_600, endMs: 17_100 });
    expect(u[1]!.cut).toBe(false);
  });

  it('options are checked: unknown keys, out of range, inconsistent lengths', () => {
    expect(VadOptionsSchema.safeParse({ frameMs: 5 }).success).toBe(false);
    expect(VadOptionsSchema.safeParse({ thresholdDB: 10 }).success).toBe(false);
    const r = VadOptionsSchema.safeParse({ maxUtteranceMs: 1000, minSpeechMs: 500, preRollMs: 300, hangoverMs: 300 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('maxUtteranceMs must be longer than preRollMs + minSpeechMs + hangoverMs');
  });

  it('in the agent config: defaults when absent, a clear error when wrong', () => {
    const base = { mqtt: { url: 'mqtt://127.0.0.1:1883' }, node: { id: 'car-head-unit', name: 'Car', kind: 'car' } };
    expect(parseAgentConfig(base).voice.vad).toEqual(DEFAULTS);
    expect(parseAgentConfig({ ...base, voice: { vad: { hangoverMs: 800 } } }).voice.vad).toEqual({ ...DEFAULTS, hangoverMs: 800 });
    expect(() => parseAgentConfig({ ...base, voice: { vad: { onsetMs: -5 } } })).toThrow(/invalid agent config:\n  voice\.vad\.onsetMs: /);
  });
});
