/** Text to speech by an OpenAI-compatible server: POST {url}/audio/speech {model, input, voice, response_format: wav}. */
import { StewardError } from '@steward/device-adapters';
import { parseWav } from '../audio.ts';
import type { TextToSpeech } from './engine.ts';

export function createOpenAiTts(opts: { url: string; voice?: string; model?: string; apiKey?: string; timeoutMs?: number }): TextToSpeech {
  const base = opts.url.replace(/\/+$/, '');
  return {
    name: 'openai',
    async synthesize(text) {
      const res = await fetch(`${base}/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
        body: JSON.stringify({ model: opts.model ?? 'tts-1', input: text, voice: opts.voice ?? 'alloy', response_format: 'wav' }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      }).catch((e: Error) => {
        throw new StewardError('DRIVER_ERROR', `cannot reach the speech server at ${base}: ${e.message}`);
      });
      if (!res.ok) throw new StewardError('DRIVER_ERROR', `the speech server answered ${res.status}`);
      const wav = Buffer.from(await res.arrayBuffer());
      parseWav(wav); // a server that sends something else is caught here, not by the caller's player
      return wav;
    },
  };
}
