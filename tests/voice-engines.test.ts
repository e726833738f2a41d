/**
 * The pluggable engines through their real protocols: a Wyoming speech server (transcribe + synthesize, as
 * wyoming-faster-whisper and wyoming-piper speak it) and an OpenAI-compatible transcription server, each started
 * here on loopback and answering from fixtures. Mandarin is tested this way: no Mandarin recogniser ships here.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMultipart } from '@steward/hub/voice/multipart.ts';
import { EventDecoder, encodeEvent, type WyomingEvent } from '@steward/hub/voice/wyoming/protocol.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { postVoice, synthesize, wavInfo } from './helpers/speech.ts';
import { waitUntil } from './helpers/wait.ts';

/** what the fixture servers answer, set per test */
const fixture = { transcript: '', avgLogprob: -0.05 };
const wyomingSeen: WyomingEvent[][] = [];
const openaiSeen: { fields: string[]; model: string; language?: string; wavRate: number }[] = [];
const PIPER_RATE = 22_050;

function wyomingServer(): Server {
  return createServer((socket) => {
    const decoder = new EventDecoder();
    const seen: WyomingEvent[] = [];
    wyomingSeen.push(seen);
    socket.on('data', (chunk) => {
      for (const e of decoder.push(chunk)) {
        seen.push(e);
        if (e.type === 'audio-stop') socket.write(encodeEvent({ type: 'transcript', data: { text: fixture.transcript } }));
        if (e.type === 'synthesize') {
          // a 0.5 s 440 Hz tone stands in for piper's voice
          const pcm = Buffer.alloc(PIPER_RATE);
          for (let i = 0; i < pcm.length / 2; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / PIPER_RATE)), i * 2);
          const format = { rate: PIPER_RATE, width: 2, channels: 1 };
          socket.write(encodeEvent({ type: 'audio-start', data: format }));
          for (let i = 0; i < pcm.length; i += 4096) socket.write(encodeEvent({ type: 'audio-chunk', data: format, payload: pcm.subarray(i, i + 4096) }));
          socket.write(encodeEvent({ type: 'audio-stop', data: {} }));
        }
      }
    });
  });
}

function openaiServer(): HttpServer {
  return createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') {
        res.writeHead(404).end();
        return;
      }
      const parts = parseMultipart(Buffer.concat(chunks), req.headers['content-type'] ?? '');
      const field = (n: string) => parts.find((p) => p.name === n)?.data.toString('utf8');
      const file = parts.find((p) => p.name === 'file')!;
      const language = field('language');
      openaiSeen.push({ fields: parts.map((p) => p.name), model: field('model')!, ...(language ? { language } : {}), wavRate: wavInfo(file.data).sampleRate });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: ` ${fixture.transcript}`, segments: [{ avg_logprob: fixture.avgLogprob }] }));
    });
  });
}

const listen = (s: Server | HttpServer) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

let wyoming: Server;
let openai: HttpServer;
let viaWyoming: TestHub;
let viaOpenai: TestHub;
const home = () => writeHomeFile(subsetHome(['kitchen-hub', 'hallway-gateway']));
const stateOf = (t: TestHub, id: string, field: string) => (t.hub.snapshot() as Record<string, Record<string, unknown>>)[id]?.[field];
const speech = () => synthesize('turn off the kitchen light', 'espeak-en');

beforeAll(async () => {
  wyoming = wyomingServer();
  openai = openaiServer();
  const [wp, op] = await Promise.all([listen(wyoming), listen(openai)]);
  viaWyoming = await startTestHub({ homeFile: home(), demo: true, voice: { stt: 'wyoming', sttUrl: `tcp://127.0.0.1:${wp}`, tts: 'wyoming', ttsUrl: `tcp://127.0.0.1:${wp}` } } as never);
  viaOpenai = await startTestHub({ homeFile: home(), demo: true, voice: { stt: 'openai', sttUrl: `http://127.0.0.1:${op}/v1`, sttModel: 'whisper-small' } } as never);
}, 120_000);

afterAll(async () => {
  await viaWyoming?.stop();
  await viaOpenai?.stop();
  wyoming?.close();
  openai?.close();
});

describe('Wyoming (wyoming-faster-whisper, wyoming-piper)', () => {
  it('a Mandarin command: transcribe → audio-start/chunks/stop at 16 kHz → transcript; it acts, and piper speaks the reply', async () => {
    fixture.transcript = '把厨房的灯关掉';
    const before = wyomingSeen.length;
    const r = await postVoice(viaWyoming.hub.httpUrl, viaWyoming.token, speech(), { query: 'lang=zh&reply=audio' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ transcript: '把厨房的灯关掉', engine: 'wyoming', echoed: false });
    expect(r.body.actions).toEqual([expect.objectContaining({ deviceId: 'kitchen_light', command: 'turnOff', ok: true })]);
    expect(r.body.reply).toMatch(/\p{Script=Han}/u);
    await waitUntil(() => stateOf(viaWyoming, 'kitchen_light', 'on') === false, 'kitchen light reported off');
    // what the server received: the protocol's order and the audio's format
    const stt = wyomingSeen[before]!;
    expect(stt[0]).toMatchObject({ type: 'transcribe', data: { language: 'zh' } });
    expect(stt[1]).toMatchObject({ type: 'audio-start', data: { rate: 16_000, width: 2, channels: 1 } });
    expect(stt.at(-1)!.type).toBe('audio-stop');
    const bytes = stt.filter((e) => e.type === 'audio-chunk').reduce((n, e) => n + e.payload!.length, 0);
    // 16 kHz, 2 bytes a sample: the whole utterance (durationMs is rounded to the millisecond = 32 bytes)
    expect(Math.abs(bytes - r.body.durationMs * 32)).toBeLessThanOrEqual(32);
    const tts = wyomingSeen[before + 1]!;
    expect(tts[0]!.type).toBe('synthesize');
    expect(tts[0]!.data.text).toBe(r.body.reply);
    expect(wavInfo(Buffer.from(r.body.replyAudio.base64, 'base64'))).toEqual({ channels: 1, sampleRate: PIPER_RATE, bits: 16, dataBytes: PIPER_RATE });
  });
});

describe('OpenAI-compatible /v1/audio/transcriptions', () => {
  it('multipart file + model + language; the transcript acts; a sure transcript gives a confidence', async () => {
    fixture.transcript = 'turn on the kitchen light';
    fixture.avgLogprob = -0.05;
    const r = await postVoice(viaOpenai.hub.httpUrl, viaOpenai.token, speech(), { query: 'lang=en' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ transcript: 'turn on the kitchen light', engine: 'openai', echoed: false });
    expect(r.body.confidence).toBeCloseTo(Math.exp(-0.05), 5);
    expect(openaiSeen.at(-1)).toEqual({ fields: ['file', 'model', 'response_format', 'language'], model: 'whisper-small', language: 'en', wavRate: 16_000 });
    await waitUntil(() => stateOf(viaOpenai, 'kitchen_light', 'on') === true, 'kitchen light reported on');
  });

  it('an unsure transcript of an unlock is echoed back and nothing moves; a sure one still gets the home\'s confirmation', async () => {
    fixture.transcript = 'unlock the front door';
    fixture.avgLogprob = -1.5;
    const unsure = await postVoice(viaOpenai.hub.httpUrl, viaOpenai.token, speech());
    expect(unsure.body).toMatchObject({ echoed: true, reply: 'Did you say "unlock the front door"?', actions: [], awaitingConfirmation: true });
    fixture.avgLogprob = -0.02;
    const sure = await postVoice(viaOpenai.hub.httpUrl, viaOpenai.token, speech());
    expect(sure.body.echoed).toBe(false);
    expect(sure.body.awaitingConfirmation).toBe(true);
    expect(sure.body.actions).toEqual([]);
    expect(stateOf(viaOpenai, 'front_door_lock', 'locked')).toBe(true);
  });

  it('a Mandarin transcript with lang=zh acts like the text would', async () => {
    fixture.transcript = '打开厨房的灯';
    fixture.avgLogprob = -0.1;
    await viaOpenai.api.post('/api/command', { text: 'turn off the kitchen light' });
    await waitUntil(() => stateOf(viaOpenai, 'kitchen_light', 'on') === false, 'kitchen light off first');
    const r = await postVoice(viaOpenai.hub.httpUrl, viaOpenai.token, speech(), { query: 'lang=zh&reply=audio' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.actions).toEqual([expect.objectContaining({ deviceId: 'kitchen_light', command: 'turnOn', ok: true })]);
    // the default voice reads Chinese with text2wav (espeak-ng cmn): real audio
    const info = wavInfo(Buffer.from(r.body.replyAudio.base64, 'base64'));
    expect(info).toMatchObject({ channels: 1, sampleRate: 22_050, bits: 16 });
    expect(info.dataBytes).toBeGreaterThan(22_050 * 2 * 0.3);
    await waitUntil(() => stateOf(viaOpenai, 'kitchen_light', 'on') === true, 'kitchen light reported on');
  });
});

describe('configuration', () => {
  it('sherpa-onnx without a model folder is a clear configuration error; so is a URL engine without its URL', async () => {
    await expect(startTestHub({ voice: { stt: 'sherpa-onnx' } } as never)).rejects.toThrow('voice.sttModelDir: the sherpa-onnx engine needs a model folder');
    await expect(startTestHub({ voice: { stt: 'sherpa-onnx', sttModelDir: '/nonexistent/sherpa-model' } } as never)).rejects.toThrow('voice.sttModelDir: the sherpa-onnx model folder /nonexistent/sherpa-model does not exist');
    await expect(startTestHub({ voice: { stt: 'wyoming' } } as never)).rejects.toThrow('voice.sttUrl: the wyoming engine needs --voice-stt-url (tcp://host:port)');
  });
});
