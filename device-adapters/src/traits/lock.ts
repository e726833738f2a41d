import { defineTrait, defineCommand, NoAttributes, NoParams } from '../trait.ts';

export const lock = defineTrait({
  id: 'lock',
  summary: 'Lock and unlock',
  attributes: NoAttributes,
  fields: { locked: { datatype: 'boolean', set: (v) => ({ command: v ? 'lock' : 'unlock', params: {} }) } },
  commands: {
    lock: defineCommand({ summary: 'Lock', params: NoParams, effect: () => ({ locked: true }) }),
    unlock: defineCommand({ summary: 'Unlock', params: NoParams, effect: () => ({ locked: false }) }),
  },
});
