/**
 * Audio in: WAV parsing, conversion of other containers and rates to 16 kHz mono 16-bit PCM (ffmpeg), and the
 * checks that turn missing, corrupt, oversized or silent audio into a clear error before any engine sees it.
 */
import { spawn } from 'node:child_process';
import { StewardError } from '@steward/device-adapters';

export const TARGET_RATE = 16_000;
/** an utterance longer than this is not a command */
export const MAX_SECONDS = 30;

export interface Pcm16 {
  /** mono, 16-bit signed little-endian samples */
  samples: Int16Array;
  sampleRate: number;
}

export interface WavInfo {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** the data chunk */
  data: Buffer;
}

function audioError(message: string, reason: string): StewardError {
  return new StewardError('BAD_REQUEST', message, { reason });
}

/** The RIFF/WAVE header and data chunk; throws BAD_REQUEST for anything that is not a readable WAV. */
export function parseWav(buf: Buffer): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw audioError('the audio is not a WAV file (no RIFF/WAVE header)', 'corrupt');
  }
  let offset = 12;
  let fmt: Omit<WavInfo, 'data'> | undefined;
  // bounded: each step moves forward by at least 8 bytes
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    let size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw audioError('the WAV format chunk is truncated', 'corrupt');
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
      // WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes are the real format tag
      if (fmt.format === 0xfffe && size >= 26 && body + 26 <= buf.length) fmt.format = buf.readUInt16LE(body + 24);
    } else if (id === 'data') {
      if (!fmt) throw audioError('the WAV data chunk comes before its format chunk', 'corrupt');
      // streamed WAVs (ffmpeg to a pipe, sox -) leave the size at 0 or 0xFFFFFFFF: the data runs to the end
      if (size === 0 || size === 0xffffffff || body + size > buf.length) size = buf.length - body;
      if (fmt.channels < 1 || fmt.channels > 8 || fmt.sampleRate < 4000 || fmt.sampleRate > 192_000) {
        throw audioError(`the WAV header is not plausible (${fmt.channels} channels at ${fmt.sampleRate} Hz)`, 'corrupt');
      }
      return { ...fmt, data: buf.subarray(body, body + size) };
    }
    offset = body + size + (size % 2);
  }
  throw audioError('the WAV file has no audio data chunk', 'corrupt');
}

/** 16 kHz mono 16-bit PCM already: no conversion needed */
function isTarget(w: WavInfo): boolean {
  return w.format === 1 && w.channels === 1 && w.bitsPerSample === 16 && w.sampleRate === TARGET_RATE;
}

function samplesOf(w: WavInfo): Pcm16 {
  const n = Math.floor(w.data.length / 2);
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++) samples[i] = w.data.readInt16LE(i * 2);
  return { samples, sampleRate: w.sampleRate };
}

/** A mono 16-bit PCM WAV file around the samples. */
export function encodeWav(pcm: Pcm16): Buffer {
  const data = Buffer.alloc(pcm.samples.length * 2);
  for (let i = 0; i < pcm.samples.length; i++) data.writeInt16LE(pcm.samples[i]!, i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(pcm.sampleRate, 24);
  h.writeUInt32LE(pcm.sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** Runs a converter with the input on stdin; its stdout is the result. Bounded by a timeout. */
export function pipeThrough(cmd: string, args: string[], input: Buffer, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${cmd} exited with ${code}: ${err.trim().split('\n').slice(-2).join(' ')}`));
    });
    child.stdin.on('error', () => undefined); // the converter may exit before reading everything: its exit code says why
    child.stdin.end(input);
  });
}

export const AUDIO_MIME = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/webm', 'audio/ogg', 'audio/mpeg'] as const;

/**
 * Any accepted audio → 16 kHz mono 16-bit PCM. WAV at the target format is read directly; other WAVs and every
 * other container go through ffmpeg. Corrupt input is BAD_REQUEST (reason `corrupt`).
 */
export async function toPcm16k(buf: Buffer, mime: string, ffmpeg = 'ffmpeg'): Promise<Pcm16> {
  if (buf.length === 0) throw audioError('no audio: the request body is empty', 'missing');
  const isWav = mime.includes('wav') || mime.includes('wave');
  if (isWav) {
    const w = parseWav(buf);
    if (isTarget(w)) return samplesOf(w);
  }
  let out: Buffer;
  try {
    out = await pipeThrough(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-t', String(MAX_SECONDS + 1), '-ac', '1', '-ar', String(TARGET_RATE), '-acodec', 'pcm_s16le', '-f', 'wav', 'pipe:1'], buf);
  } catch (e) {
    throw audioError(`the audio could not be decoded (${mime}): ${(e as Error).message}`, 'corrupt');
  }
  return samplesOf(parseWav(out));
}

/** Rejects audio a person cannot have spoken a command in: too short, too long or silent. */
export function checkUtterance(pcm: Pcm16): { durationMs: number; rms: number } {
  const n = pcm.samples.length;
  const durationMs = Math.round((n / pcm.sampleRate) * 1000);
  if (durationMs < 200) throw audioError(`the audio is too short (${durationMs} ms)`, 'too_short');
  if (durationMs > MAX_SECONDS * 1000) throw audioError(`the audio is longer than ${MAX_SECONDS} s`, 'too_long');
  let sum = 0;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const v = pcm.samples[i]!;
    sum += v * v;
    const a = Math.abs(v);
    if (a > peak) peak = a;
  }
  const rms = Math.sqrt(sum / n);
  // about -50 dBFS: below this nothing was said (digital silence, a muted microphone, hiss)
  if (peak < 300 || rms < 30) throw audioError('the audio is silent: no speech was heard', 'silent');
  return { durationMs, rms: Math.round(rms) };
}
