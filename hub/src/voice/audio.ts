/**
 * Audio in: WAV parsing, conversion of other containers and rates to 16 kHz mono 16-bit PCM (ffmpeg), and the
 * checks that turn missing, corrupt, oversized or silent audio into a clear error before any engine sees it.
 */
import { spawn } from 'node:child_process';
import { StewardError, parseWav, wavSamples as samplesOf, type Pcm16, type WavInfo } from '@steward/device-adapters';

// WAV reading and writing live in device-adapters (node agents and simulators use them too)
export { encodeWav, parseWav, type Pcm16, type WavInfo } from '@steward/device-adapters';

export const TARGET_RATE = 16_000;
/** an utterance longer than this is not a command */
export const MAX_SECONDS = 30;

function audioError(message: string, reason: string): StewardError {
  return new StewardError('BAD_REQUEST', message, { reason });
}

/** 16 kHz mono 16-bit PCM already: no conversion needed */
function isTarget(w: WavInfo): boolean {
  return w.format === 1 && w.channels === 1 && w.bitsPerSample === 16 && w.sampleRate === TARGET_RATE;
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
