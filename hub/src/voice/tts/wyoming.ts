/** Text to speech by a Wyoming service (wyoming-piper): synthesize → audio-start, audio-chunk..., audio-stop. */
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import { encodeWav } from '../audio.ts';
import { wyomingExchange } from '../wyoming/client.ts';
import type { TextToSpeech } from './engine.ts';

const FormatSchema = z.object({ rate: z.number().int().min(4000).max(192_000), width: z.literal(2), channels: z.literal(1) });

export function createWyomingTts(opts: { url: string; voice?: string; timeoutMs?: number }): TextToSpeech {
  return {
    name: 'wyoming',
    async synthesize(text) {
      const events = await wyomingExchange(opts.url, [{ type: 'synthesize', data: { text, ...(opts.voice ? { voice: { name: opts.voice } } : {}) } }], (e) => e.type === 'audio-stop', opts.timeoutMs);
      const start = FormatSchema.safeParse(events.find((e) => e.type === 'audio-start')?.data);
      if (!start.success) throw new StewardError('DRIVER_ERROR', 'the Wyoming voice sent no 16-bit mono audio-start');
      const pcm = Buffer.concat(events.filter((e) => e.type === 'audio-chunk' && e.payload).map((e) => e.payload!));
      const samples = new Int16Array(Math.floor(pcm.length / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = pcm.readInt16LE(i * 2);
      return encodeWav({ samples, sampleRate: start.data.rate });
    },
  };
}
