/** Mandarin in Traditional characters (Taiwan): zh's words and grammar; replies in Traditional characters. */
import type { Language } from './types.ts';
import { chinese } from './zh.ts';
import { rewrittenReplies } from './script-replies.ts';
import { toTraditional } from '../traditional.ts';

export const traditionalChinese: Language = {
  ...chinese,
  tag: 'zh-TW',
  replies: rewrittenReplies(chinese.replies, toTraditional),
  fromBase: toTraditional,
  script: { han: true, traditional: true },
  speech: { espeakVoice: 'cmn', sttLanguage: 'zh' },
};
