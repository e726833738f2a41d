/**
 * The default, offline voice: Debian's espeak-ng (`en` voice) for English, and text2wav (espeak-ng in WASM, npm)
 * for Chinese, because Debian's espeak-ng reads Chinese characters with `-v cmn` as pinyin with spoken tone
 * numbers and wants pinyin for `cmn-latn-pinyin`; text2wav's `cmn` reads characters correctly (and `yue` reads
 * zh-HK's Cantonese). Each language object names its voice.
 */
import text2wav from 'text2wav';
import { pipeThrough } from '../audio.ts';
import type { TextToSpeech } from './engine.ts';
import { languageOf } from '../../understanding/languages/index.ts';

export function createEspeakTts(opts: { binary: string; englishVoice?: string }): TextToSpeech {
  return {
    name: 'espeak',
    async synthesize(text, lang) {
      const voice = languageOf(lang).speech.espeakVoice;
      if (voice !== 'en') return Buffer.from(await text2wav(text, { voice }));
      // the text goes on stdin, never as an argument: a reply is not an option
      return pipeThrough(opts.binary, ['-v', opts.englishVoice ?? 'en', '--stdout'], Buffer.from(text, 'utf8'));
    },
  };
}
