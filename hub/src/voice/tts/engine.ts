/** The text-to-speech seam: a reply in a language → a WAV file. */
export interface TextToSpeech {
  /** 'espeak', 'wyoming', 'openai' */
  readonly name: string;
  synthesize(text: string, lang: 'en' | 'zh'): Promise<Buffer>;
  close?(): Promise<void> | void;
}
