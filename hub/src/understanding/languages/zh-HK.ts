/**
 * Cantonese written in Traditional characters (Hong Kong): zh's words, which list the Cantonese ones (闩, 开咗未,
 * 啲, 嘅, 有冇, 边个) beside the Mandarin; replies in Traditional characters, in Cantonese where the phrasing is
 * set ("客廳燈已經閂咗。", "請問係邊一個").
 */
import type { Language } from './types.ts';
import { chinese } from './zh.ts';
import { rewrittenReplies } from './script-replies.ts';
import { toTraditional } from '../traditional.ts';

/**
 * Mandarin reply phrases → Cantonese, matched on the Simplified replies before the change of script; longer
 * phrases first. Characters Cantonese writes only in Traditional (係, 閂) are written so here.
 */
const CANTONESE: readonly [string, string][] = [
  ['抱歉，我没听懂。', '唔好意思，我聽唔明。'],
  ['请问是哪一个', '請問係邊一個'],
  ['请问是哪个设备？', '請問係邊部機？'],
  ['请问要去哪里？', '請問要去邊度？'],
  ['什么都没有改动', '乜嘢都冇改'],
  ['没有找到', '搵唔到'],
  ['不确定要对', '唔肯定要對'],
  ['做什么', '做乜嘢'],
  ['开着的', '開咗嘅'],
  ['关着的', '閂咗嘅'],
  ['没锁的', '冇鎖嘅'],
  ['锁着的', '鎖咗嘅'],
  ['不在家', '唔喺屋企'],
  ['在家', '喺屋企'],
  ['正在播放的', '播緊嘅'],
  ['已打开', '已經開咗'],
  ['已关闭', '已經閂咗'],
  ['已锁上', '已經鎖咗'],
  ['已暂停', '已經暫停咗'],
  ['正在打开', '開緊'],
  ['正在关闭', '閂緊'],
  ['正在打扫', '打掃緊'],
  ['正在运行', '運行緊'],
  ['正在充电', '充緊電'],
  ['正在回去充电', '返緊去充電'],
  ['正在导航去', '導航緊去'],
  ['正在使用', '用緊'],
  ['开着', '開咗'],
  ['关着', '閂咗'],
  ['关闭', '閂'],
  ['没有在', '冇'],
  ['没有', '冇'],
  ['没能', '冇辦法'],
  ['不支持', '唔支持'],
  ['不接受', '唔接受'],
  ['不用等', '唔使等'],
  ['不是', '唔係'],
  ['还要大约', '仲要大概'],
  ['还剩', '仲有'],
  ['还不知道', '仲未知道'],
  ['现在', '而家'],
  ['这个', '呢個'],
  ['哪一个', '邊一個'],
  ['的', '嘅'],
  ['是', '係'],
  ['好的，', '好，'],
];

/** Cantonese phrasing of a Mandarin reply, then Traditional characters. */
export function cantoneseReply(text: string): string {
  let out = text;
  for (const [from, to] of CANTONESE) if (out.includes(from)) out = out.split(from).join(to);
  return toTraditional(out);
}

export const cantonese: Language = {
  ...chinese,
  tag: 'zh-HK',
  replies: rewrittenReplies(chinese.replies, cantoneseReply),
  fromBase: cantoneseReply,
  script: { han: true, traditional: true, markers: '咗唔啲閂嘅冇喺係嚟佢哋嗰乜嘢咩睇噉冚晒' },
  speech: { espeakVoice: 'yue', sttLanguage: 'zh' },
};
