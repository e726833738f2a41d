/**
 * The node's reassembly of a long spoken reply (node-agent/src/voice/reply-assembly.ts) on its own: what is played
 * and what fails, and why, for every way the chunks can go wrong. The lost chunks through real processes are in
 * voice-node-replies.test.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeWav, voiceReplyChunks, type VoiceReplyChunk } from '@steward/device-adapters';
import { ReplyAssembler, type AssembledReply } from '@steward/node-agent/voice/reply-assembly.ts';

/** a 5 s 440 Hz tone at 22.05 kHz: 220 KB, 4 chunks */
const audio = encodeWav({ samples: Int16Array.from({ length: 5 * 22_050 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 22_050))), sampleRate: 22_050 });
const played: AssembledReply[] = [];
const failures: { id: string; code: string; message: string }[] = [];
let assembler: ReplyAssembler;

function start(timeoutMs = 10_000, wav = audio): { id: string; chunks: VoiceReplyChunk[] } {
  assembler ??= new ReplyAssembler((r) => played.push(r), (id, e) => failures.push({ id, code: e.code, message: e.message }), timeoutMs);
  const id = randomUUID();
  const chunks = voiceReplyChunks(wav, id);
  assembler.announce({
    ok: true, utteranceId: id, deviceId: 'car_media', transcript: 't', reply: 'r', awaitingConfirmation: false, conversationId: 'c',
    audioChunks: { mime: 'audio/wav', lang: 'en', total: chunks.length, bytes: wav.length, sha256: createHash('sha256').update(wav).digest('hex') },
  });
  return { id, chunks };
}

afterEach(() => {
  assembler?.close();
  assembler = undefined as never;
  played.length = 0;
  failures.length = 0;
});

describe('reassembling a long spoken reply', () => {
  it('every chunk in order: the whole WAV, once', () => {
    const { id, chunks } = start();
    expect(chunks).toHaveLength(4);
    for (const c of chunks) assembler.chunk(c);
    expect(played).toEqual([{ utteranceId: id, deviceId: 'car_media', audio, mime: 'audio/wav', lang: 'en' }]);
    expect(failures).toEqual([]);
    // a late repeat belongs to nothing now
    expect(() => assembler.chunk(chunks[0]!)).toThrow(/which no reply announced/);
  });

  it('chunks out of order are put back in place', () => {
    const { chunks } = start();
    for (const i of [2, 0, 1]) assembler.chunk(chunks[i]!);
    expect(played).toEqual([]);
    assembler.chunk(chunks[3]!);
    expect(played[0]!.audio.equals(audio)).toBe(true);
  });

  it('a repeated chunk, a chunk past the end, too many bytes or a wrong SHA-256 fail the reply; nothing is played', () => {
    const dup = start();
    assembler.chunk(dup.chunks[0]!);
    assembler.chunk(dup.chunks[0]!);
    const past = start();
    assembler.chunk({ ...past.chunks[0]!, seq: 4 });
    const tampered = start();
    for (const c of tampered.chunks) assembler.chunk(c.seq === 3 ? { ...c, data: Buffer.from(Buffer.from(c.data, 'base64').map((b) => b ^ 1)).toString('base64') } : c);
    expect(failures).toEqual([
      { id: dup.id, code: 'BAD_REQUEST', message: 'chunk 0 came twice' },
      { id: past.id, code: 'BAD_REQUEST', message: 'chunk 4 of a reply announced with 4' },
      { id: tampered.id, code: 'BAD_REQUEST', message: 'the reassembled audio does not match its SHA-256' },
    ]);
    const big = start();
    // the last chunk 6 bytes longer than the announced size leaves room for
    for (const c of big.chunks) assembler.chunk(c.seq === 3 ? { ...c, data: Buffer.concat([Buffer.from(c.data, 'base64'), Buffer.alloc(6)]).toString('base64') } : c);
    expect(failures.at(-1)).toEqual({ id: big.id, code: 'PAYLOAD_TOO_LARGE', message: `the chunks hold more than the ${audio.length} bytes announced` });
    expect(played).toEqual([]);
  });

  it('a lost chunk: seen at the last one, or when the time runs out', async () => {
    const gap = start(200);
    for (const c of gap.chunks) if (c.seq !== 1 && c.seq !== 2) assembler.chunk(c);
    const tail = start(200);
    for (const c of tail.chunks.slice(0, -1)) assembler.chunk(c);
    await new Promise((r) => setTimeout(r, 400));
    expect(failures).toEqual([
      { id: gap.id, code: 'BAD_REQUEST', message: 'chunks 1, 2 of 4 missing at the last chunk' },
      { id: tail.id, code: 'TIMEOUT', message: 'chunk 3 of 4 never came within 200 ms' },
    ]);
    expect(played).toEqual([]);
  });

  it('at most two replies on their way: a third gives up the oldest', () => {
    const first = start();
    const second = start();
    const third = start();
    expect(failures).toEqual([{ id: first.id, code: 'TIMEOUT', message: 'a newer spoken reply came before this one was complete' }]);
    for (const c of [...second.chunks, ...third.chunks]) assembler.chunk(c);
    expect(played.map((p) => p.utteranceId)).toEqual([second.id, third.id]);
  });

  it('audio that is not a WAV is not played, even when whole and as announced', () => {
    const notWav = Buffer.alloc(70_000, 3);
    const { id, chunks } = start(10_000, notWav);
    for (const c of chunks) assembler.chunk(c);
    expect(failures).toEqual([{ id, code: 'BAD_REQUEST', message: 'the audio is not a WAV file (no RIFF/WAVE header)' }]);
    expect(played).toEqual([]);
  });
});
