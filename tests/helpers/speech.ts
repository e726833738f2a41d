/**
 * Real speech for the voice tests: Debian's espeak-ng and flite synthesise WAVs (never the en-us espeak voice,
 * which says "turn off" so that it decodes as "turn on"), and a client for POST /api/voice.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Voice = 'espeak-en' | 'espeak-en-gb-x-rp' | 'flite';
export const VOICES: readonly Voice[] = ['espeak-en', 'flite'];

export function synthesize(text: string, voice: Voice): Buffer {
  if (voice === 'flite') {
    const dir = mkdtempSync(join(tmpdir(), 'steward-flite-'));
    try {
      execFileSync('flite', ['-t', text, '-o', join(dir, 'a.wav')]);
      return readFileSync(join(dir, 'a.wav'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return execFileSync('espeak-ng', ['-v', voice === 'espeak-en' ? 'en' : 'en-gb-x-rp', '--stdout', text]);
}

export interface VoiceCommand {
  text: string;
  expect: [deviceId: string, field: string, value: string | number | boolean];
}

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'voice');
export function voiceCommands(): { commands: VoiceCommand[]; otherWording: VoiceCommand[] } {
  return JSON.parse(readFileSync(join(FIXTURES, 'commands-en.json'), 'utf8'));
}

export interface VoiceResult {
  status: number;
  body: any;
}

/** POST /api/voice with the audio as the body */
export async function postVoice(baseUrl: string, token: string | undefined, audio: Buffer, opts: { query?: string; contentType?: string } = {}): Promise<VoiceResult> {
  const res = await fetch(`${baseUrl}/api/voice${opts.query ? `?${opts.query}` : ''}`, {
    method: 'POST',
    headers: { 'content-type': opts.contentType ?? 'audio/wav', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(audio),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text for the assertion message
  }
  return { status: res.status, body };
}

/** a WAV's format fields, for asserting a reply is real audio */
export function wavInfo(buf: Buffer): { channels: number; sampleRate: number; bits: number; dataBytes: number } {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV');
  let off = 12;
  let fmt = { channels: 0, sampleRate: 0, bits: 0 };
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') fmt = { channels: buf.readUInt16LE(off + 10), sampleRate: buf.readUInt32LE(off + 12), bits: buf.readUInt16LE(off + 22) };
    if (id === 'data') {
      if (size === 0 || size === 0xffffffff || off + 8 + size > buf.length) size = buf.length - off - 8;
      return { ...fmt, dataBytes: size };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error('WAV without data');
}
