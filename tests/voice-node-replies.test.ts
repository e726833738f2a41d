/**
 * Spoken replies on a node through real parts: a hub whose speech recogniser is an OpenAI-compatible
 * transcription server started here (answering from a fixture, as whisper.cpp's server would: the transcript and
 * the language it heard), its default voice (Debian espeak-ng; text2wav for Chinese), and real node agents for the
 * car, the kitchen, the living room and the bedroom. The car speaks by push-to-talk; the assertions read the
 * messages on the car's reply topic, the WAV its speaker played and the state the nodes reported.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type mqtt from 'mqtt';
import text2wav from 'text2wav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOICE_LIMITS, VoiceResMessageSchema, voiceReplyChunks, voiceTopics, withExactSizes, type VoiceResMessage } from '@steward/device-adapters';
import type { TestHub } from './helpers/hub-start.ts';
import { postVoice, synthesize, wavInfo } from './helpers/speech.ts';
import { CAR, KITCHEN, startVoiceNodes, voiceHome, type VoiceNodes } from './helpers/voice-home.ts';
import { waitUntil } from './helpers/wait.ts';

const NODES = [CAR, KITCHEN, 'living-room-gateway', 'bedroom-gateway'];
/** what the transcription server answers: the text, and the language it says it heard */
const fixture = { text: '', language: 'english' };
let stt: Server;
let v: VoiceNodes;
let t: TestHub;
let audioDir: string;
let watcher: mqtt.MqttClient;
const messages: VoiceResMessage[] = [];
const state = (id: string, field: string) => (t.hub.snapshot() as Record<string, Record<string, unknown>>)[id]?.[field];
const carAgent = () => v.agents[0]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function transcriptionServer(): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: fixture.text, language: fixture.language, segments: [{ avg_logprob: -0.05 }] }));
    });
  });
}

async function listen(params: Record<string, string>): Promise<void> {
  const r = await t.api.post('/api/devices/car_media/commands', { command: 'listen', params: { clip: 'said.wav', ...params } });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
}

/** a WAV's header says exactly how long it is: RIFF size and data size match the file */
function expectComplete(wav: Buffer): void {
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
  expect(wav.toString('ascii', 36, 40)).toBe('data');
  expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
}

beforeAll(async () => {
  stt = transcriptionServer();
  const port = await new Promise<number>((r) => stt.listen(0, '127.0.0.1', () => r((stt.address() as AddressInfo).port)));
  v = await startVoiceNodes({
    home: voiceHome(NODES.slice(2)),
    nodes: NODES,
    hub: { voice: { stt: 'openai', sttUrl: `http://127.0.0.1:${port}/v1`, sttModel: 'whisper-small' } },
    topics: [voiceTopics.reply(CAR)],
    onMessage: (_topic, payload) => messages.push(VoiceResMessageSchema.parse(JSON.parse(payload.toString()))),
    // what the car's microphone hears; the server's fixture says what it was
    clips: (dir) => writeFileSync(join(dir, 'said.wav'), synthesize('what is on in every room', 'espeak-en')),
  });
  ({ t, audioDir, watcher } = v);
}, 120_000);

afterAll(async () => {
  await v?.stop();
  stt?.close();
});

describe('a long spoken reply', () => {
  it('"what is on in every room" (said in the car): the reply announces its audio, the chunks follow, and the car plays the whole WAV once', async () => {
    fixture.text = 'what is on in every room';
    fixture.language = 'english';
    messages.length = 0;
    await listen({ lang: 'en' });
    await waitUntil(() => state('car_media', 'played') === 1, 'the car played the reply', 30_000);
    const reply = messages[0]!;
    expect('ok' in reply && reply.ok).toBe(true);
    if (!('ok' in reply) || !reply.ok) return;
    // the answer lists the devices that can be on, across the home
    for (const name of ['kitchen light', 'car light', 'living room light', 'floor lamp', 'bedroom light', 'bedside lamp']) expect(reply.reply.toLowerCase()).toContain(name);
    expect(reply.audio).toBeUndefined();
    const announced = reply.audioChunks!;
    expect(announced.bytes).toBeGreaterThan(VOICE_LIMITS.replyAudioBytes);
    expect(announced.total).toBe(Math.ceil(announced.bytes / VOICE_LIMITS.chunkBytes));
    expect(announced.lang).toBe('en');
    // after the reply, every chunk in order, nothing else
    const chunks = messages.slice(1);
    expect(chunks.map((c) => ('kind' in c ? c.seq : -1))).toEqual(Array.from({ length: announced.total }, (_, i) => i));
    // what the car's speaker played: the whole WAV, its header exact, the bytes the hub announced
    const played = readFileSync(join(audioDir, 'played-car_media.wav'));
    expect(played.length).toBe(announced.bytes);
    expect(createHash('sha256').update(played).digest('hex')).toBe(announced.sha256);
    expectComplete(played);
    const info = wavInfo(played);
    expect(info).toEqual({ channels: 1, sampleRate: 22_050, bits: 16, dataBytes: played.length - 44 });
    // more than 7 s of speech: too long for one message
    expect(info.dataBytes / (22_050 * 2)).toBeGreaterThan(7);
    expect(state('car_media', 'lastPlayedBytes')).toBe(announced.bytes);
    expect(state('car_media', 'lastPlayedLang')).toBe('en');
  }, 60_000);

  it('a reply missing a chunk is not played: a clear error in the agent log', async () => {
    const before = state('car_media', 'played');
    const audio = withExactSizes(synthesize('this reply will never be heard in full because a piece of it goes missing on the way, which the node must notice', 'espeak-en'));
    const send = (m: VoiceResMessage) => watcher.publishAsync(voiceTopics.reply(CAR), JSON.stringify(m), { qos: 1 });
    const announce = (utteranceId: string, total: number) =>
      send({ ok: true, utteranceId, deviceId: 'car_media', transcript: 'x', reply: 'x', awaitingConfirmation: false, conversationId: 'c', audioChunks: { mime: 'audio/wav', lang: 'en', total, bytes: audio.length, sha256: createHash('sha256').update(audio).digest('hex') } });
    const chunks = (id: string) => voiceReplyChunks(audio, id);
    const gap = randomUUID();
    const tail = randomUUID();
    expect(chunks(gap).length).toBeGreaterThanOrEqual(3);
    // the middle chunk lost: seen when the last one comes
    await announce(gap, chunks(gap).length);
    for (const c of chunks(gap)) if (c.seq !== 1) await send(c);
    // the last chunk lost: seen when the time runs out
    await announce(tail, chunks(tail).length);
    for (const c of chunks(tail).slice(0, -1)) await send(c);
    const n = chunks(gap).length;
    const gapLine = await carAgent().waitForLine(new RegExp(`"utteranceId":"${gap}".*the spoken reply is incomplete and is not played: chunk 1 of ${n} missing at the last chunk`), 5000, 'stderr');
    expect(gapLine).toMatch(/"level":50/);
    await carAgent().waitForLine(new RegExp(`"utteranceId":"${tail}".*the spoken reply is incomplete and is not played: chunk ${n - 1} of ${n} never came within ${VOICE_LIMITS.assembleMs} ms`), VOICE_LIMITS.assembleMs + 5000, 'stderr');
    await sleep(300);
    expect(state('car_media', 'played')).toBe(before);
  }, 30_000);
});

describe('the reply language', () => {
  it('an utterance without a language whose transcript is Chinese: the reply is Chinese, labelled zh, spoken with the Chinese voice', async () => {
    fixture.text = '打开车灯';
    fixture.language = 'chinese';
    messages.length = 0;
    const before = state('car_media', 'played') as number;
    expect(state('car_light', 'on')).toBe(false);
    await listen({});
    await waitUntil(() => state('car_light', 'on') === true, 'the car light on');
    await waitUntil(() => state('car_media', 'played') === before + 1, 'the car played the reply', 20_000);
    const reply = messages.find((m) => 'ok' in m && m.ok);
    if (!reply || !('ok' in reply) || !reply.ok) throw new Error('no reply');
    expect(reply.transcript).toBe('打开车灯');
    expect(reply.reply).toMatch(/\p{Script=Han}/u);
    expect(reply.audio?.lang).toBe('zh');
    expect(state('car_media', 'lastPlayedLang')).toBe('zh');
    // the Chinese voice (text2wav's cmn) said the reply: the very same audio
    const played = readFileSync(join(audioDir, 'played-car_media.wav'));
    expect(played.equals(withExactSizes(Buffer.from(await text2wav(reply.reply, { voice: 'cmn' }))))).toBe(true);
    expectComplete(played);
  }, 60_000);

  it('POST /api/voice without a language says which one it answered in', async () => {
    fixture.text = '关掉车灯';
    fixture.language = 'chinese';
    const r = await postVoice(t.hub.httpUrl, t.token, synthesize('turn off the car light', 'espeak-en'), { query: 'reply=audio' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.lang).toBe('zh');
    expect(r.body.reply).toMatch(/\p{Script=Han}/u);
    await waitUntil(() => state('car_light', 'on') === false, 'the car light off');
    fixture.text = 'turn on the car light';
    fixture.language = 'english';
    const en = await postVoice(t.hub.httpUrl, t.token, synthesize('turn on the car light', 'espeak-en'), { query: 'reply=audio' });
    expect(en.status, JSON.stringify(en.body)).toBe(200);
    expect(en.body.lang).toBe('en');
    expectComplete(Buffer.from(en.body.replyAudio.base64, 'base64'));
  }, 30_000);
});
