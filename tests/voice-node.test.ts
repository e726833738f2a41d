/**
 * Voice on nodes through real parts: a hub, two real node-agent processes (the car head unit, whose media unit
 * has a microphone and an audio output, and the kitchen hub), Debian's espeak-ng speaking the command into the
 * simulator's audio folder. Push-to-talk (`listen`) makes the agent send the WAV over its own MQTT connection; the
 * assertions read the state the nodes reported and the audio the car's speaker "played".
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { mayPublish, maySubscribe } from '@steward/hub/auth/topic-rules.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoiceReplySchema, voiceChunks, voiceTopics, type VoiceReply } from '@steward/device-adapters';
import type { TestHub } from './helpers/hub-start.ts';
import { synthesize, wavInfo } from './helpers/speech.ts';
import { CAR, KITCHEN, startVoiceNodes, voiceHome, type VoiceNodes } from './helpers/voice-home.ts';
import { waitUntil } from './helpers/wait.ts';

let v: VoiceNodes;
let t: TestHub;
let audioDir: string;
const replies: VoiceReply[] = [];
const state = (id: string, field: string) => (t.hub.snapshot() as Record<string, Record<string, unknown>>)[id]?.[field];

async function listen(clip: string): Promise<void> {
  const r = await t.api.post('/api/devices/car_media/commands', { command: 'listen', params: { clip, lang: 'en' } });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
}

beforeAll(async () => {
  // the admin may read the car's replies (a node may not: see the ACL test)
  v = await startVoiceNodes({
    home: voiceHome(),
    nodes: [CAR, KITCHEN],
    topics: [voiceTopics.reply(CAR)],
    onMessage: (_topic, payload) => replies.push(VoiceReplySchema.parse(JSON.parse(payload.toString()))),
    clips: (dir) => {
      writeFileSync(join(dir, 'light-on.wav'), synthesize('turn on the light', 'espeak-en'));
      writeFileSync(join(dir, 'garbage.wav'), Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(20_000, 7)]));
      writeFileSync(join(dir, 'big.wav'), Buffer.alloc(2 * 1024 * 1024 + 4096, 1));
    },
  });
  ({ t, audioDir } = v);
}, 90_000);

afterAll(async () => {
  await v?.stop();
});

describe('voice topics in the ACL', () => {
  const node = (id: string) => ({ username: id, role: 'node' as const, nodeId: id, generation: 1 });
  it('a node may publish only its own utterances and read only its own replies', () => {
    expect(mayPublish(node(CAR), voiceTopics.request(CAR), false, () => false)).toBeUndefined();
    expect(maySubscribe(node(CAR), voiceTopics.reply(CAR))).toBeUndefined();
    expect(mayPublish(node(KITCHEN), voiceTopics.request(CAR), false, () => false)).toMatch(/^node kitchen-hub may publish only under/);
    expect(mayPublish(node(CAR), voiceTopics.reply(CAR), false, () => false)).toMatch(/^node car-head-unit may publish only under/);
    expect(maySubscribe(node(KITCHEN), voiceTopics.reply(CAR))).toMatch(/^node kitchen-hub may subscribe only to/);
    expect(maySubscribe(node(KITCHEN), 'steward/1/+/voice/res')).toMatch(/^node kitchen-hub may subscribe only to/);
  });
});

describe('voice on a node', () => {
  it('"turn on the light" said in the car turns on the car light, not the kitchen one, and the spoken reply is played in the car', async () => {
    expect(state('car_light', 'on')).toBe(false);
    await listen('light-on.wav');
    await waitUntil(() => state('car_light', 'on') === true, 'the car light reported on');
    const ok = await waitUntil(() => replies.find((r) => r.ok), 'the reply to the car');
    expect(ok.ok && ok.transcript).toBe('turn on the light');
    expect(ok.ok && ok.deviceId).toBe('car_media');
    expect(state('kitchen_light', 'on')).toBe(false);
    // what the car's speaker played: a real WAV, in English, the size it reported
    await waitUntil(() => state('car_media', 'played') === 1, 'the car media unit reported playing the reply');
    const played = readFileSync(join(audioDir, 'played-car_media.wav'));
    expect(played.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(played.subarray(8, 12).toString('ascii')).toBe('WAVE');
    const info = wavInfo(played);
    expect(info.sampleRate).toBe(22_050);
    expect(info.channels).toBe(1);
    expect(info.dataBytes).toBeGreaterThan(22_050); // more than half a second of speech
    expect(state('car_media', 'lastPlayedBytes')).toBe(played.length);
    expect(state('car_media', 'lastPlayedMime')).toBe('audio/wav');
    expect(state('car_media', 'lastPlayedLang')).toBe('en');
  }, 60_000);

  it('malformed audio is refused with a clear error, and nothing executes or plays', async () => {
    await t.api.post('/api/devices/car_light/commands', { command: 'turnOff' });
    await waitUntil(() => state('car_light', 'on') === false, 'the car light off again');
    replies.length = 0;
    await listen('garbage.wav');
    const refused = await waitUntil(() => replies.find((r) => !r.ok), 'the refusal');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('BAD_REQUEST');
    await new Promise((r) => setTimeout(r, 500));
    expect(state('car_light', 'on')).toBe(false);
    expect(state('kitchen_light', 'on')).toBe(false);
    expect(state('car_media', 'played')).toBe(1);
  }, 30_000);

  it('an utterance over 2 MB is refused at its first chunk as too large', async () => {
    replies.length = 0;
    await listen('big.wav');
    const refused = await waitUntil(() => replies.find((r) => !r.ok), 'the refusal');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(refused.error.message).toMatch(/at most 2097152 bytes/);
    }
    await new Promise((r) => setTimeout(r, 500));
    // one refusal for the utterance, not one per chunk
    expect(replies).toHaveLength(1);
    expect(state('car_light', 'on')).toBe(false);
    expect(state('car_media', 'played')).toBe(1);
  }, 30_000);

  it('a node that speaks too often is refused (6 utterances a minute), and nothing executes', async () => {
    replies.length = 0;
    const codes: string[] = [];
    // this minute so far: the spoken command and the corrupt one (the oversized one was refused before it counted)
    for (let i = 0; i < 5; i++) {
      await listen('garbage.wav');
      const r = await waitUntil(() => replies[i], `refusal ${i + 1}`);
      if (!r.ok) codes.push(r.error.code);
    }
    expect(codes).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'RATE_LIMITED']);
    const limited = replies[4]!;
    if (!limited.ok) expect(limited.error.message).toMatch(/node car-head-unit sent 6 utterances in the last minute \(at most 6\)/);
    expect(state('car_light', 'on')).toBe(false);
  }, 30_000);

  it("another node cannot speak on the car's topic nor read its replies (broker ACL)", async () => {
    const creds = JSON.parse(readFileSync(await t.provisionNodes(['intruder']), 'utf8')).intruder;
    const intruder = await mqtt.connectAsync(t.hub.mqttUrl, { username: creds.username, password: creds.password, clientId: 'steward-agent-intruder', protocolVersion: 4, reconnectPeriod: 0 });
    try {
      // its own reply topic is its to read; the car's is refused
      expect((await intruder.subscribeAsync(voiceTopics.reply('intruder'), { qos: 1 }))[0]!.qos).toBe(1);
      await expect(intruder.subscribeAsync(voiceTopics.reply(CAR), { qos: 1 })).rejects.toThrow(/Subscribe error/);
      replies.length = 0;
      const wav = readFileSync(join(audioDir, 'light-on.wav'));
      for (const c of voiceChunks(wav, { utteranceId: randomUUID(), deviceId: 'car_media', lang: 'en' })) {
        await intruder.publishAsync(voiceTopics.request(CAR), JSON.stringify(c), { qos: 0 }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 3000));
      expect(replies).toEqual([]);
      expect(state('car_light', 'on')).toBe(false);
    } finally {
      await intruder.endAsync(true).catch(() => undefined);
    }
  }, 30_000);
});
