/** Reply modules by the language they are written in; each language object (../languages/) names its own. */
import type { Replies } from './types.ts';
import { enReplies } from './en.ts';
import { zhReplies } from './zh.ts';

export const REPLIES: Record<'en' | 'zh', Replies> = { en: enReplies, zh: zhReplies };
export type { Replies, Answer, DeviceEffects } from './types.ts';
