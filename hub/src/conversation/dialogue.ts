/**
 * The dialogue state of one conversation, between turns: what understanding remembers (the devices and command
 * a follow-up refers to) and the question the hub asked last ("Which one do you mean: ...?"). A question is open
 * for the next turn only, and for at most `questionTtlMs`: the next turn answers it, drops it ("no", "never
 * mind", 算了) or replaces it with a new command. Pending confirmations are kept by the confirmation layer.
 */
import type { Interpretation, ParseContext } from '../understanding/contract.ts';

export interface DialogueState {
  memory: unknown;
  question?: { value: unknown; expiresAt: number };
}

export const newDialogue = (): DialogueState => ({ memory: undefined });

/** What the next parse may refer to; an expired question is gone. */
export function dialogueContext(s: DialogueState, now: number): Pick<ParseContext, 'memory' | 'question'> {
  const open = s.question && s.question.expiresAt > now ? s.question.value : undefined;
  return { memory: s.memory, ...(open !== undefined ? { question: open } : {}) };
}

/** After a turn: its memory, and its question if it asked one (any earlier question is closed either way). */
export function afterTurn(s: DialogueState, interp: Interpretation, now: number, questionTtlMs: number): void {
  s.memory = interp.memory;
  if (interp.question !== undefined) s.question = { value: interp.question, expiresAt: now + questionTtlMs };
  else delete s.question;
}
