/**
 * Voice activity on a node through real parts: a hub, two real node-agent processes, the car's media unit a
 * streaming microphone (the simulator's micStream: frames in real time, a steady room hiss between clips). The
 * clips are Debian espeak-ng's speech padded with silence and low noise, played into the stream with `listen`;
 * the car's agent finds the utterances itself and sends each to the hub. The assertions count the utterances on
 * the car's voice topic and read the state the nodes reported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoiceChunkSchema, VoiceReplySchema, encodeWav, parseWav, voiceTopics, wavSamples, type VoiceReply } from '@steward/device-adapters';
import type { TestHub } from './helpers/hub-start.ts';
import { synthesize } from './helpers/speech.ts';
import { CAR, KITCHEN, startVoiceNodes, voiceHome, type VoiceNodes } from './helpers/voice-home.ts';
import { waitUntil } from './helpers/wait.ts';

const RATE = 16_000;
/** the car's cabin between clips (dBFS) */
const ROOM_DB = -52;
let v: VoiceNodes;
let t: TestHub;
let audioDir: string;
const replies: VoiceReply[] = [];
/** utterance id → its chunks seen on the car's request topic */
const sent = new Map<string, number>();
const state = (id: string, field: string) => (t.hub.snapshot() as Record<string, Record<string, unknown>>)[id]?.[field];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** espeak-ng's 22.05 kHz speech, at 16 kHz (the microphone's rate; the simulator would resample it too) */
function speech(text: string): Int16Array {
  const pcm = wavSamples(parseWav(synthesize(text, 'espeak-en')));
  const n = Math.floor((pcm.samples.length * RATE) / pcm.sampleRate);
  return Int16Array.from({ length: n }, (_, i) => pcm.samples[Math.floor((i * pcm.sampleRate) / RATE)]!);
}

/** seeded low hiss at this level (dBFS); null: digital silence */
function pad(ms: number, db: number | null, seed = 7): Int16Array {
  const out = new Int16Array((ms * RATE) / 1000);
  if (db === null) return out;
  let x = seed;
  const amp = 32768 * 10 ** (db / 20) * Math.sqrt(3);
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = Math.round(amp * (2 * ((x >>> 0) / 0x100000000) - 1));
  }
  return out;
}

function clip(name: string, parts: Int16Array[]): number {
  const samples = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  writeFileSync(join(audioDir, name), encodeWav({ samples, sampleRate: RATE }));
  return Math.round((samples.length / RATE) * 1000);
}

const durations: Record<string, number> = {};

async function listen(name: string): Promise<void> {
  const r = await t.api.post('/api/devices/car_media/commands', { command: 'listen', params: { clip: name, lang: 'en' } });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
}

beforeAll(async () => {
  v = await startVoiceNodes({
    home: voiceHome(),
    nodes: [CAR, KITCHEN],
    driverOptions: (id) => (id === 'car_media' ? { micStream: { sampleRate: RATE, noiseDb: ROOM_DB } } : {}),
    topics: [voiceTopics.reply(CAR), voiceTopics.request(CAR)],
    onMessage: (topic, payload) => {
      const json = JSON.parse(payload.toString());
      if (topic === voiceTopics.reply(CAR)) replies.push(VoiceReplySchema.parse(json));
      else {
        const c = VoiceChunkSchema.parse(json);
        sent.set(c.utteranceId, (sent.get(c.utteranceId) ?? 0) + 1);
      }
    },
    clips: (dir) => {
      audioDir = dir;
      durations['light-on'] = clip('light-on.wav', [pad(500, null), pad(1000, -55), speech('turn on the light'), pad(1500, -55)]);
      durations['quiet'] = clip('quiet.wav', [pad(1500, null), pad(3000, -48, 11), pad(1000, null)]);
      durations['two'] = clip('two.wav', [pad(800, -55), speech('turn off the light'), pad(1500, -55, 3), speech('turn on the light'), pad(1500, -55, 5)]);
    },
  });
  t = v.t;
}, 90_000);

afterAll(async () => {
  await v?.stop();
});

describe('voice activity on a node', () => {
  it('"turn on the light" in a continuous stream: one utterance is sent, the car light turns on, the kitchen one stays off', async () => {
    expect(state('car_light', 'on')).toBe(false);
    await listen('light-on.wav');
    await waitUntil(() => state('car_light', 'on') === true, 'the car light reported on', durations['light-on']! + 10_000);
    const ok = await waitUntil(() => replies.find((r) => r.ok), 'the reply to the car');
    expect(ok.ok && ok.transcript).toBe('turn on the light');
    expect(ok.ok && ok.deviceId).toBe('car_media');
    await waitUntil(() => state('car_media', 'played') === 1, 'the reply played in the car');
    // the stream goes on; nothing more is heard in it
    await sleep(1500);
    expect(sent.size).toBe(1);
    expect(replies).toHaveLength(1);
    expect(state('kitchen_light', 'on')).toBe(false);
  }, 60_000);

  it('silence and a low hiss alone send nothing', async () => {
    sent.clear();
    replies.length = 0;
    await listen('quiet.wav');
    // the whole clip, the hangover, and time for an utterance to reach the broker
    await sleep(durations['quiet']! + 2000);
    expect(sent.size).toBe(0);
    expect(replies).toEqual([]);
    expect(state('car_light', 'on')).toBe(true);
  }, 30_000);

  it('two commands separated by a pause send two utterances, acted on in order', async () => {
    sent.clear();
    replies.length = 0;
    await listen('two.wav');
    await waitUntil(() => state('car_light', 'on') === false, 'the car light off (first command)', durations['two']! + 10_000);
    await waitUntil(() => state('car_light', 'on') === true, 'the car light on again (second command)', 15_000);
    await waitUntil(() => replies.length === 2 && replies, 'both replies');
    await sleep(1500);
    expect(sent.size).toBe(2);
    expect(replies.map((r) => r.ok && r.transcript)).toEqual(['turn off the light', 'turn on the light']);
    expect(state('kitchen_light', 'on')).toBe(false);
  }, 60_000);
});
