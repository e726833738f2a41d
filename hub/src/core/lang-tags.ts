/**
 * The language tags the hub speaks, and how other spellings of them fold in. One list for requests, API schemas,
 * benchmark cases, replies and voice; the understanding engine holds one language object per tag
 * (hub/src/understanding/languages/). Here in the core so every layer (pairing's name checks, the API, voice) can
 * validate a tag without importing the engine.
 */
import { z } from 'zod';

export const LANG_TAGS = ['en', 'zh', 'zh-TW', 'zh-HK'] as const;
export type LangTag = (typeof LANG_TAGS)[number];

/**
 * BCP-47 spellings folded to the tag that reads and answers them: script and region subtags pick Simplified or
 * Traditional, Cantonese (yue) is zh-HK. Compared in lower case.
 */
const ALIASES: Record<string, LangTag> = {
  en: 'en', 'en-us': 'en', 'en-gb': 'en', 'en-au': 'en', 'en-ca': 'en', 'en-in': 'en', 'en-nz': 'en', 'en-ie': 'en', english: 'en',
  zh: 'zh', 'zh-cn': 'zh', 'zh-sg': 'zh', 'zh-hans': 'zh', 'zh-hans-cn': 'zh', 'zh-hans-sg': 'zh', cmn: 'zh', 'cmn-hans': 'zh', chinese: 'zh',
  'zh-tw': 'zh-TW', 'zh-hant': 'zh-TW', 'zh-hant-tw': 'zh-TW', 'cmn-hant': 'zh-TW', 'cmn-tw': 'zh-TW',
  'zh-hk': 'zh-HK', 'zh-mo': 'zh-HK', 'zh-hant-hk': 'zh-HK', 'zh-hant-mo': 'zh-HK', yue: 'zh-HK', 'yue-hk': 'zh-HK', 'yue-hant': 'zh-HK',
  'zh-yue': 'zh-HK', cantonese: 'zh-HK',
};

/** The tag a spelling means ("zh-Hant" → zh-TW, "yue" → zh-HK, "en-US" → en), or undefined. */
export function langTagOf(input: string): LangTag | undefined {
  const key = input.trim().replace(/_/g, '-').toLowerCase();
  return ALIASES[key];
}

/** A request's language: any known spelling, folded to its tag. */
export const LangTagSchema = z
  .string()
  .max(20)
  .transform((s, ctx) => {
    const tag = langTagOf(s);
    if (!tag) {
      ctx.addIssue({ code: 'custom', message: `unknown language "${s}": use one of ${LANG_TAGS.join(', ')}` });
      return z.NEVER;
    }
    return tag;
  });

/** Keys a registry name may be stored under for a tag, the tag's own first ("zh-TW", "zh-Hant", then "zh"). */
export const NAME_KEYS: Record<LangTag, readonly string[]> = {
  en: ['en'],
  zh: ['zh', 'zh-CN', 'zh-Hans'],
  'zh-TW': ['zh-TW', 'zh-Hant', 'zh'],
  'zh-HK': ['zh-HK', 'yue', 'zh-Hant', 'zh-TW', 'zh'],
};
