/** Mandarin in Simplified characters; the base of zh-TW and zh-HK (./zh-TW.ts, ./zh-HK.ts). */
import type { Language } from './types.ts';
import { zh as lexicon } from '../lexicon/zh.ts';
import { zhReplies } from '../replies/zh.ts';
import { zhNumberAt } from '../zh-numbers.ts';

/** 去机场吧 → 机场: the verb's leftovers before, particles and politeness after (Simplified and Traditional alike) */
export function trimChineseDestination(text: string): string {
  return text
    .trim()
    .replace(/^(?:去|到|往|一下|下)\s*/, '')
    .replace(/[\s,.!?，。！？]*(?:吧|了|一下|啊|呀|哦|好吗|好嗎|可以吗|可以嗎|谢谢|謝謝|唔该|唔該)?[\s,.!?，。！？]*$/, '')
    .trim();
}

export const chinese: Language = {
  tag: 'zh',
  lexicon,
  replies: zhReplies,
  base: 'zh',
  fromBase: (text) => text,
  joiner: '',
  numberAt: zhNumberAt,
  trimDestination: trimChineseDestination,
  script: { han: true },
  grammar: { possessive: '的' },
  speech: { espeakVoice: 'cmn', sttLanguage: 'zh' },
};
