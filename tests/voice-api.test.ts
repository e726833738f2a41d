/**
 * POST /api/voice through real parts: a hub with two real node agents of the benchmark home, Debian's espeak-ng
 * speaking the commands, ffmpeg converting, pocketsphinx decoding with the grammar generated from the home.
 * Assertions read the state the nodes reported (the hub's registry), never what the reply claims.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { postVoice, synthesize, wavInfo } from './helpers/speech.ts';
import { waitUntil } from './helpers/wait.ts';

let t: TestHub;
const state = (id: string, field: string) => (t.hub.snapshot() as Record<string, Record<string, unknown>>)[id]?.[field];

function silentWav(seconds: number, rate = 16_000): Buffer {
  const data = Buffer.alloc(seconds * rate * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(subsetHome(['kitchen-hub', 'hallway-gateway'])), demo: true });
}, 90_000);

afterAll(async () => {
  await t?.stop();
});

describe('POST /api/voice', () => {
  it('needs the admin token like every mutating endpoint; nothing runs without it', async () => {
    const r = await postVoice(t.hub.httpUrl, undefined, synthesize('turn off the kitchen light', 'espeak-en'));
    expect(r.status).toBe(401);
    expect(state('kitchen_light', 'on')).toBe(true);
  });

  it('a 22 kHz espeak WAV is resampled, decoded and acted on: the node reports the kitchen light off', async () => {
    const audio = synthesize('turn off the kitchen light', 'espeak-en');
    expect(wavInfo(audio).sampleRate).toBe(22_050);
    const r = await postVoice(t.hub.httpUrl, t.token, audio);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.transcript).toBe('turn off the kitchen light');
    expect(r.body.engine).toBe('pocketsphinx');
    expect(r.body.echoed).toBe(false);
    expect(r.body.actions).toEqual([expect.objectContaining({ deviceId: 'kitchen_light', command: 'turnOff', ok: true })]);
    expect(r.body.timings.sttMs).toBeGreaterThan(0);
    expect(r.body.timings.totalMs).toBeGreaterThanOrEqual(r.body.timings.sttMs);
    await waitUntil(() => state('kitchen_light', 'on') === false, 'kitchen light reported off');
  });

  it('48 kHz stereo Ogg/Vorbis goes through ffmpeg and gives the same transcript', async () => {
    await t.api.post('/api/command', { text: 'turn on the kitchen light' });
    await waitUntil(() => state('kitchen_light', 'on') === true, 'kitchen light on again');
    const wav = synthesize('turn off the kitchen light', 'espeak-en');
    const ogg = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-ac', '2', '-ar', '48000', '-c:a', 'libvorbis', '-f', 'ogg', 'pipe:1'], { input: wav });
    const r = await postVoice(t.hub.httpUrl, t.token, ogg, { contentType: 'audio/ogg' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.transcript).toBe('turn off the kitchen light');
    await waitUntil(() => state('kitchen_light', 'on') === false, 'kitchen light reported off');
  });

  it('multipart `file` (as OpenAI takes it) with reply=audio: the spoken reply is a valid English WAV', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(synthesize('turn on the kitchen light', 'espeak-en'))], { type: 'audio/wav' }), 'command.wav');
    const res = await fetch(`${t.hub.httpUrl}/api/voice?reply=audio`, { method: 'POST', headers: { authorization: `Bearer ${t.token}` }, body: form });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.transcript).toBe('turn on the kitchen light');
    expect(body.replyAudio.mime).toBe('audio/wav');
    const info = wavInfo(Buffer.from(body.replyAudio.base64, 'base64'));
    expect(info).toMatchObject({ channels: 1, sampleRate: 22_050, bits: 16 });
    // espeak at 22 kHz speaks the reply for well over a quarter of a second
    expect(info.dataBytes).toBeGreaterThan(22_050 * 2 * 0.25);
    expect(body.timings.ttsMs).toBeGreaterThanOrEqual(0);
    await waitUntil(() => state('kitchen_light', 'on') === true, 'kitchen light reported on');
  });

  it('a renamed device is speakable at once: the grammar follows the registry', async () => {
    const renamed = await t.api.patch('/api/devices/kitchen_light', { names: { en: ['pantry light'], zh: ['厨房灯'] } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    const r = await postVoice(t.hub.httpUrl, t.token, synthesize('turn off the pantry light', 'espeak-en'));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.transcript).toBe('turn off the pantry light');
    await waitUntil(() => state('kitchen_light', 'on') === false, 'kitchen light reported off');
    await t.api.patch('/api/devices/kitchen_light', { names: { en: ['kitchen light'], zh: ['厨房灯'] } });
    await t.api.post('/api/command', { text: 'turn on the kitchen light' });
    await waitUntil(() => state('kitchen_light', 'on') === true, 'kitchen light on again');
  });

  it('missing, corrupt, oversized and silent audio: a clear error each, nothing executed', async () => {
    const before = t.hub.snapshot();
    const empty = await postVoice(t.hub.httpUrl, t.token, Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('BAD_REQUEST');
    const corrupt = await postVoice(t.hub.httpUrl, t.token, Buffer.from('RIFF....WAVEjunkjunkjunkjunk'));
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error.message).toMatch(/WAV/);
    const notAudio = await postVoice(t.hub.httpUrl, t.token, Buffer.from('this is not audio at all'), { contentType: 'audio/ogg' });
    expect(notAudio.status).toBe(400);
    expect(notAudio.body.error.message).toMatch(/could not be decoded/);
    const huge = await postVoice(t.hub.httpUrl, t.token, silentWav(70));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const silent = await postVoice(t.hub.httpUrl, t.token, silentWav(1));
    expect(silent.status).toBe(400);
    expect(silent.body.error.message).toMatch(/silent/);
    const badQuery = await postVoice(t.hub.httpUrl, t.token, synthesize('turn off the kitchen light', 'espeak-en'), { query: 'area=Kitchen!' });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toMatch(/query.area/);
    expect(t.hub.snapshot()).toEqual(before);
  });

  it('the default engine says it is English only', async () => {
    const r = await postVoice(t.hub.httpUrl, t.token, synthesize('turn off the kitchen light', 'espeak-en'), { query: 'lang=zh' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/English only/);
    expect(state('kitchen_light', 'on')).toBe(true);
  });

  it('an unsure transcript of a sensitive command is echoed back, then still needs the confirmation the home asks for', async () => {
    const conversationId = 'voice-unlock';
    const first = await postVoice(t.hub.httpUrl, t.token, synthesize('unlock the front door', 'flite'), { query: `conversationId=${conversationId}` });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.transcript).toBe('unlock the front door');
    expect(first.body.echoed).toBe(true);
    expect(first.body.reply).toBe('Did you say "unlock the front door"?');
    expect(first.body.actions).toEqual([]);
    expect(state('front_door_lock', 'locked')).toBe(true);
    const yes = await postVoice(t.hub.httpUrl, t.token, synthesize('yes', 'espeak-en'), { query: `conversationId=${conversationId}` });
    expect(yes.status, JSON.stringify(yes.body)).toBe(200);
    // the echo confirmed what was heard; the home's own confirm rule for unlocking still asks
    expect(yes.body.echoed).toBe(false);
    expect(yes.body.awaitingConfirmation).toBe(true);
    expect(yes.body.actions).toEqual([]);
    expect(state('front_door_lock', 'locked')).toBe(true);
    const sure = await postVoice(t.hub.httpUrl, t.token, synthesize('yes', 'espeak-en'), { query: `conversationId=${conversationId}` });
    expect(sure.body.actions).toEqual([expect.objectContaining({ deviceId: 'front_door_lock', command: 'unlock', ok: true })]);
    await waitUntil(() => state('front_door_lock', 'locked') === false, 'front door reported unlocked');
  });
});

describe('a hub without the speech tools', () => {
  it('starts with voice disabled and says what to install', async () => {
    const bare = await startTestHub({ voice: { pocketsphinxBin: '/nonexistent/pocketsphinx_continuous' } } as never);
    try {
      const r = await postVoice(bare.hub.httpUrl, bare.token, synthesize('turn off the kitchen light', 'espeak-en'));
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('UNAVAILABLE');
      expect(r.body.error.message).toBe('voice is disabled: install the Debian packages pocketsphinx (apt-get install pocketsphinx, or scripts/setup-system.sh)');
    } finally {
      await bare.stop();
    }
  });
});
