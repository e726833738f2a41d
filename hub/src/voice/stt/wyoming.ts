/** Speech to text by a Wyoming service (wyoming-faster-whisper, Home Assistant's): transcribe, audio, transcript. */
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import type { Pcm16 } from '../audio.ts';
import { wyomingExchange } from '../wyoming/client.ts';
import type { SpeechToText } from './engine.ts';

const TranscriptSchema = z.object({ text: z.string().max(2000) });
const CHUNK_SAMPLES = 1024;

export function createWyomingStt(opts: { url: string; timeoutMs?: number }): SpeechToText {
  return {
    name: 'wyoming',
    async transcribe(audio: Pcm16, { lang }) {
      const format = { rate: audio.sampleRate, width: 2, channels: 1 };
      const pcm = Buffer.from(audio.samples.buffer, audio.samples.byteOffset, audio.samples.byteLength);
      const chunks = [];
      for (let i = 0; i < pcm.length; i += CHUNK_SAMPLES * 2) chunks.push({ type: 'audio-chunk', data: format, payload: pcm.subarray(i, i + CHUNK_SAMPLES * 2) });
      const events = await wyomingExchange(
        opts.url,
        [{ type: 'transcribe', data: lang ? { language: lang } : {} }, { type: 'audio-start', data: format }, ...chunks, { type: 'audio-stop', data: {} }],
        (e) => e.type === 'transcript',
        opts.timeoutMs,
      );
      const t = TranscriptSchema.safeParse(events.at(-1)?.data);
      if (!t.success) throw new StewardError('DRIVER_ERROR', 'the Wyoming transcript has no text');
      return { text: t.data.text, ...(lang ? { lang } : {}) };
    },
  };
}
