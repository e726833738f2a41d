/** Every language the engine speaks. A new language is a new lexicon module here plus its replies module. */
import type { Lang } from '../contract.ts';
import type { Lexicon } from './types.ts';
import { en } from './en.ts';
import { zh } from './zh.ts';

export const LEXICONS: Record<Lang, Lexicon> = { en, zh };
