/**
 * Every language the engine speaks, by tag, and which one a text is in. Tags and their other spellings live in
 * hub/src/core/lang-tags.ts; each language's object (./types.ts) beside this file.
 */
import { LANG_TAGS, langTagOf, type LangTag } from '../../core/lang-tags.ts';
import type { Lexicon } from '../lexicon/types.ts';
import type { Normalized } from '../text.ts';
import type { Language } from './types.ts';
import { english } from './en.ts';
import { chinese } from './zh.ts';
import { traditionalChinese } from './zh-TW.ts';
import { cantonese } from './zh-HK.ts';

export type { Language } from './types.ts';

export const LANGUAGES: Readonly<Record<LangTag, Language>> = {
  en: english,
  zh: chinese,
  'zh-TW': traditionalChinese,
  'zh-HK': cantonese,
};

/** The language of a tag, or of any spelling of one ("zh-Hant" → zh-TW); English when unknown. */
export function languageOf(tag: string): Language {
  return LANGUAGES[(LANG_TAGS as readonly string[]).includes(tag) ? (tag as LangTag) : (langTagOf(tag) ?? 'en')];
}

/** Every vocabulary once (zh-TW and zh-HK share zh's): what the matcher compiles. */
export const VOCABULARIES: readonly Lexicon[] = [...new Set(Object.values(LANGUAGES).map((l) => l.lexicon))];

const ALL = Object.values(LANGUAGES);
/** character → the language whose marker it is (咗 → zh-HK) */
const MARKERS = new Map<number, Language>();
for (const l of ALL) for (const ch of l.script.markers ?? '') MARKERS.set(ch.charCodeAt(0), l);
const LATIN = ALL.find((l) => !l.script.han)!;
const SIMPLIFIED = ALL.find((l) => l.script.han && !l.script.traditional && !l.script.markers)!;
const TRADITIONAL = ALL.find((l) => l.script.han && l.script.traditional && !l.script.markers)!;

/**
 * The language a text is in, from how it is written: no Han characters → English; a character only one language
 * uses (Cantonese 咗, 唔, 啲, 閂) → that language; Traditional characters → zh-TW; else zh.
 */
export function detect(n: Normalized): Language {
  if (!n.han) return LATIN;
  const s = n.original;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x3400) continue;
    const marked = MARKERS.get(c);
    if (marked) return marked;
  }
  return n.traditional ? TRADITIONAL : SIMPLIFIED;
}

/** Reply sentences joined the way the language writes them. */
export function joinReplies(tag: string, parts: readonly string[]): string {
  return parts.filter((p) => p.length > 0).join(languageOf(tag).joiner);
}

/** A fixed text given in en and zh, said in a language (zh-TW in Traditional characters, zh-HK in Cantonese). */
export function textIn<T extends string>(tag: string, texts: Readonly<Record<'en' | 'zh', T>>): string {
  const l = languageOf(tag);
  return l.fromBase(texts[l.base]);
}
