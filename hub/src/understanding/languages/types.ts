/**
 * A language as the engine sees it: one object holds everything that differs between languages, so the engine
 * reads `language.x` once per clause or reply and never tests a tag. A new language is a new object here (its
 * lexicon and replies modules beside the others) and its tag in hub/src/core/lang-tags.ts; see docs/understanding.md.
 */
import type { Lang } from '../contract.ts';
import type { Lexicon } from '../lexicon/types.ts';
import type { Replies } from '../replies/types.ts';
import type { NumberMatch } from '../zh-numbers.ts';

export interface Language {
  tag: Lang;
  /**
   * the words the scanner knows; tags written alike share one (zh-TW and zh-HK read zh's words, their Traditional
   * characters folded to Simplified by ../traditional.ts, Cantonese words listed there too)
   */
  lexicon: Lexicon;
  replies: Replies;
  /**
   * the language whose fixed texts (the planner's notices, ...) this one says, and how it rewrites them: zh-TW
   * in Traditional characters, zh-HK in Cantonese; identity for en and zh
   */
  base: 'en' | 'zh';
  fromBase(text: string): string;
  /** what joins reply sentences: a space between English sentences, nothing between Chinese ones */
  joiner: string;
  /**
   * the number that starts at position i of normalised text ("twenty four", 二十四, 24). Called by the scanner at
   * each position, through one function chosen per utterance: no dispatch per token.
   */
  numberAt(s: string, i: number): NumberMatch | undefined;
  /** a navigation destination said as free text, without the words around it ("to the airport please" → "airport") */
  trimDestination(text: string): string;
  /**
   * how text in this language is written, for detection (./index.ts `detect`): Han characters or not, Traditional
   * ones, and characters only this language uses (Cantonese 咗, 唔, 啲)
   */
  script: { han: boolean; traditional?: boolean; markers?: string };
  /** grammar the clause reader needs */
  grammar: {
    /**
     * the possessive particle (的): after an area and before no noun it stands for "the one there" (卧室的); a word
     * after it that is both a verb and a device word is the device (前门的锁 is the front door's lock)
     */
    possessive?: string;
    /** an unknown word after a preposition is a place the home lacks ("the lights in the garage") */
    unknownPlaceAfterPreposition?: boolean;
    /** verb-particle directions around their object ("cool the living room down"), read from the lexicon */
    splitDirections?: boolean;
  };
  /** speech: the espeak-ng voice that says replies, and the language code speech recognisers are given (Whisper writes Cantonese with zh) */
  speech: { espeakVoice: string; sttLanguage: string };
}
