/**
 * WAV files as the hub, node agents and simulators read and write them: the RIFF/WAVE chunks, 16-bit PCM samples
 * (mixed down to mono), and a mono 16-bit WAV around samples. Anything unreadable is BAD_REQUEST with a reason.
 */
import { StewardError } from './errors.ts';

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

/** The samples of a 16-bit PCM WAV, mixed down to mono; any other encoding is BAD_REQUEST. */
export function wavSamples(w: WavInfo): Pcm16 {
  if (w.format !== 1 || w.bitsPerSample !== 16) throw audioError(`the WAV is not 16-bit PCM (format ${w.format}, ${w.bitsPerSample} bits)`, 'unsupported');
  const n = Math.floor(w.data.length / (2 * w.channels));
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < w.channels; c++) sum += w.data.readInt16LE((i * w.channels + c) * 2);
    samples[i] = Math.round(sum / w.channels);
  }
  return { samples, sampleRate: w.sampleRate };
}

/** A 16-bit PCM WAV around these bytes of samples. */
function pcmWav(data: Buffer, channels: number, sampleRate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** A mono 16-bit PCM WAV file around the samples. */
export function encodeWav(pcm: Pcm16): Buffer {
  const data = Buffer.alloc(pcm.samples.length * 2);
  for (let i = 0; i < pcm.samples.length; i++) data.writeInt16LE(pcm.samples[i]!, i * 2);
  return pcmWav(data, 1, pcm.sampleRate);
}

/**
 * The same WAV with a header whose sizes are exact: a WAV streamed to a pipe (espeak-ng --stdout) says its data
 * runs for 2 GB; a player or a check that trusts the header would wait for the rest. 16-bit PCM only; anything else
 * is returned as it is.
 */
export function withExactSizes(buf: Buffer): Buffer {
  const w = parseWav(buf);
  if (w.format !== 1 || w.bitsPerSample !== 16) return buf;
  // an odd byte at the end is not a sample
  return pcmWav(w.data.subarray(0, w.data.length - (w.data.length % (2 * w.channels))), w.channels, w.sampleRate);
}
