/** English. */
import type { Language } from './types.ts';
import { en as lexicon } from '../lexicon/en.ts';
import { enReplies } from '../replies/en.ts';
import { enNumberAt } from '../en-numbers.ts';

export const english: Language = {
  tag: 'en',
  lexicon,
  replies: enReplies,
  base: 'en',
  fromBase: (text) => text,
  joiner: ' ',
  numberAt: enNumberAt,
  trimDestination: (text) =>
    text
      .trim()
      .replace(/^(?:the|a|an|to)\s+/i, '')
      .replace(/[\s,.!?]*(?:please|now|right now)?[\s,.!?]*$/i, '')
      .trim(),
  script: { han: false },
  grammar: { unknownPlaceAfterPreposition: true, splitDirections: true },
  speech: { espeakVoice: 'en', sttLanguage: 'en' },
};
