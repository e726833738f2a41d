/**
 * Speech to text by an OpenAI-compatible server: POST {url}/audio/transcriptions, multipart `file` + `model`
 * (+ `language`): whisper.cpp's server, faster-whisper servers, hosted APIs. With verbose_json segments the
 * confidence is the mean segment probability.
 */
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import { encodeWav, type Pcm16 } from '../audio.ts';
import type { SpeechToText } from './engine.ts';

const ReplySchema = z.object({
  text: z.string().max(2000),
  language: z.string().optional(),
  segments: z.array(z.object({ avg_logprob: z.number().optional() }).loose()).optional(),
}).loose();

export function createOpenAiStt(opts: { url: string; model: string; apiKey?: string; timeoutMs?: number }): SpeechToText {
  const base = opts.url.replace(/\/+$/, '');
  return {
    name: 'openai',
    async transcribe(audio: Pcm16, { lang }) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(encodeWav(audio))], { type: 'audio/wav' }), 'utterance.wav');
      form.append('model', opts.model);
      form.append('response_format', 'verbose_json');
      if (lang) form.append('language', lang);
      let res: Response;
      try {
        res = await fetch(`${base}/audio/transcriptions`, {
          method: 'POST',
          body: form,
          headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
      } catch (e) {
        throw new StewardError('DRIVER_ERROR', `cannot reach the transcription server at ${base}: ${(e as Error).message}`);
      }
      if (!res.ok) throw new StewardError('DRIVER_ERROR', `the transcription server answered ${res.status}`);
      const r = ReplySchema.safeParse(await res.json().catch(() => undefined));
      if (!r.success) throw new StewardError('DRIVER_ERROR', 'the transcription server sent no {text}');
      const probs = (r.data.segments ?? []).map((s) => s.avg_logprob).filter((x): x is number => typeof x === 'number');
      const confidence = probs.length ? Math.min(1, Math.max(0, Math.exp(probs.reduce((a, b) => a + b, 0) / probs.length))) : undefined;
      const heard = r.data.language ? ({ english: 'en', chinese: 'zh', cantonese: 'zh-HK' } as Record<string, string>)[r.data.language.toLowerCase()] ?? r.data.language : lang;
      return { text: r.data.text.trim(), ...(confidence !== undefined ? { confidence } : {}), ...(heard ? { lang: heard } : {}) };
    },
  };
}
