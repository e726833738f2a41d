import { defineTrait, defineCommand, NoAttributes, NoParams } from '../trait.ts';

export const onOff = defineTrait({
  id: 'onOff',
  summary: 'Power on and off',
  attributes: NoAttributes,
  fields: {
    on: { datatype: 'boolean', set: (v) => ({ command: v ? 'turnOn' : 'turnOff', params: {} }) },
  },
  commands: {
    turnOn: defineCommand({ summary: 'Turn on', params: NoParams, effect: () => ({ on: true }) }),
    turnOff: defineCommand({ summary: 'Turn off', params: NoParams, effect: () => ({ on: false }) }),
    toggle: defineCommand({ summary: 'Toggle power', params: NoParams, effect: ({ state }) => ({ on: state.on !== true }) }),
  },
});
