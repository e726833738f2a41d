/** The speech-to-text seam: every engine takes 16 kHz mono PCM and gives a transcript. */
import type { Pcm16 } from '../audio.ts';

export interface Transcript {
  text: string;
  /** 0..1 when the engine reports one; undefined when it cannot say (a grammar-constrained decoder) */
  confidence?: number;
  /** BCP-47-ish language the engine heard or was told ('en', 'zh') */
  lang?: string;
}

export interface SpeechToText {
  /** 'pocketsphinx', 'openai', 'wyoming', 'sherpa-onnx' */
  readonly name: string;
  /** languages it can transcribe; undefined = any the engine's model knows */
  readonly languages?: readonly string[];
  transcribe(audio: Pcm16, opts: { lang?: string }): Promise<Transcript>;
  /** engines that load a model: resolves once it is loaded, rejects (StewardError) saying why it cannot be */
  ready?(): Promise<void>;
  /** the home changed (names, areas, scenes): engines that compile a grammar redo it */
  homeChanged?(): void;
  close?(): Promise<void> | void;
}
