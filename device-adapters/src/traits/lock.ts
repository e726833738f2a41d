import { defineTrait, defineCommand, NoAttributes, NoParams } from '../trait.ts';

export const lock = defineTrait({
  id: 'lock',
  summary: 'Lock and unlock',
  attributes: NoAttributes,
  fields: { locked: { answers: { lock: 0 }, alsoAnswers: { open: 2 }, datatype: 'boolean', set: (v) => ({ command: v ? 'lock' : 'unlock', params: {} }) } },
  confirm: ['unlock'],
  acts: {
    open: { command: 'unlock', intent: 'HassLockUnlock', rank: 0 },
    unlock: { command: 'unlock', intent: 'HassLockUnlock', rank: 0, own: true },
    close: { command: 'lock', intent: 'HassLockLock', rank: 0 },
    lock: { command: 'lock', intent: 'HassLockLock', rank: 0, own: true },
  },
  commands: {
    lock: defineCommand({ summary: 'Lock', params: NoParams, effect: () => ({ locked: true }) }),
    unlock: defineCommand({ summary: 'Unlock', params: NoParams, effect: () => ({ locked: false }) }),
  },
});
