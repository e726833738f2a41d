/** The text-to-speech seam: a reply in a language → a WAV file. */
import type { LangTag } from '../../core/lang-tags.ts';

export interface TextToSpeech {
  /** 'espeak', 'wyoming', 'openai' */
  readonly name: string;
  /** `lang`: a language tag (en, zh, zh-TW, zh-HK) */
  synthesize(text: string, lang: LangTag): Promise<Buffer>;
  close?(): Promise<void> | void;
}
