import { defineTrait, defineCommand, NoAttributes, NoParams } from '../trait.ts';

export const onOff = defineTrait({
  id: 'onOff',
  summary: 'Power on and off',
  attributes: NoAttributes,
  fields: {
    on: { answers: { power: 0 }, alsoAnswers: { open: 3, brightness: 0 }, datatype: 'boolean', set: (v) => ({ command: v ? 'turnOn' : 'turnOff', params: {} }) },
  },
  power: { field: 'on', on: 'turnOn', off: 'turnOff' },
  active: { on: true },
  acts: {
    on: { command: 'turnOn', intent: 'HassTurnOn', rank: 5, phase: 0 },
    open: { command: 'turnOn', intent: 'HassTurnOn', rank: 2, phase: 0 },
    start: { command: 'turnOn', intent: 'HassTurnOn', rank: 3, phase: 0 },
    play: { command: 'turnOn', intent: 'HassTurnOn', rank: 3, phase: 0 },
    off: { command: 'turnOff', intent: 'HassTurnOff', rank: 5, phase: 3 },
    close: { command: 'turnOff', intent: 'HassTurnOff', rank: 2, phase: 3 },
    stop: { command: 'turnOff', intent: 'HassTurnOff', rank: 6, phase: 3 },
    toggle: { command: 'toggle', intent: 'HassToggle', rank: 0 },
  },
  commands: {
    turnOn: defineCommand({ summary: 'Turn on', params: NoParams, effect: () => ({ on: true }) }),
    turnOff: defineCommand({ summary: 'Turn off', params: NoParams, effect: () => ({ on: false }) }),
    toggle: defineCommand({ summary: 'Toggle power', params: NoParams, effect: ({ state }) => ({ on: state.on !== true }) }),
  },
});
