/** The vocabularies by the language they are written for; each language object (../languages/) names its own. */
import type { Lexicon } from './types.ts';
import { en } from './en.ts';
import { zh } from './zh.ts';

export const LEXICONS: Record<'en' | 'zh', Lexicon> = { en, zh };
