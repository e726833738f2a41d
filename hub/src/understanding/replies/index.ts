/** Reply modules per language. */
import type { Lang } from '../contract.ts';
import type { Replies } from './types.ts';
import { enReplies } from './en.ts';
import { zhReplies } from './zh.ts';

export const REPLIES: Record<Lang, Replies> = { en: enReplies, zh: zhReplies };
export type { Replies, Answer, DeviceEffects } from './types.ts';
