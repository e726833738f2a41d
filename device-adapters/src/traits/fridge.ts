import { z } from 'zod';
import { defineTrait, defineCommand, clamp, current, finite, requireInRange, requireOption, type Attributes } from '../trait.ts';

const fridgeRange = (a: Attributes): readonly [number, number] => [Number(a.fridgeMinC ?? 2), Number(a.fridgeMaxC ?? 8)];
const freezerRange = (a: Attributes): readonly [number, number] => [Number(a.freezerMinC ?? -24), Number(a.freezerMaxC ?? -15)];
const modes = (a: Attributes): readonly string[] => (a.modes as string[] | undefined) ?? ['normal'];

export const fridge = defineTrait({
  id: 'fridge',
  summary: 'Fridge and freezer compartments with target temperatures, and a mode',
  attributes: z.object({
    modes: z.array(z.string()).min(1),
    fridgeMinC: z.number(),
    fridgeMaxC: z.number(),
    freezerMinC: z.number(),
    freezerMaxC: z.number(),
  }),
  fields: {
    fridgeC: {
      answers: { temperature: 2, fridge: 0 },
      datatype: 'integer',
      unit: '°C',
      range: fridgeRange,
      set: (v) => ({ command: 'setFridgeTemperature', params: { celsius: Number(v) } }),
      aspects: ['temperature', 'fridge'],
      intent: 'StewardSetFridgeTemperature',
      rank: 9,
      // degrees below zero are the freezer's
      accepts: (v) => v === undefined || v >= 0,
      adjust: 'adjustFridgeTemperature',
      step: 1,
    },
    freezerC: {
      answers: { freezer: 0 },
      alsoAnswers: { temperature: 3 },
      datatype: 'integer',
      unit: '°C',
      range: freezerRange,
      set: (v) => ({ command: 'setFreezerTemperature', params: { celsius: Number(v) } }),
      aspects: ['temperature', 'freezer'],
      intent: 'StewardSetFridgeTemperature',
      rank: 9,
      accepts: (v) => v !== undefined && v < 0,
      adjust: 'adjustFreezerTemperature',
      step: 1,
    },
    mode: { answers: { mode: 0 }, datatype: 'enum', options: modes, set: (v) => ({ command: 'setFridgeMode', params: { mode: String(v) } }), intent: 'StewardSetMode' },
  },
  commands: {
    setFridgeTemperature: defineCommand({
      summary: 'Set the fridge compartment temperature in °C',
      params: z.object({ celsius: finite() }).strict(),
      effect: ({ params, attributes }) => ({
        fridgeC: Math.round(requireInRange('Fridge temperature', params.celsius, fridgeRange(attributes), ' °C')),
      }),
    }),
    adjustFridgeTemperature: defineCommand({
      summary: 'Change the fridge temperature by a signed number of degrees, clamped',
      params: z.object({ delta: finite() }).strict(),
      effect: ({ params, state, attributes }) => ({
        fridgeC: Math.round(clamp(current(state, 'fridgeC', 4) + params.delta, fridgeRange(attributes))),
      }),
    }),
    setFreezerTemperature: defineCommand({
      summary: 'Set the freezer temperature in °C',
      params: z.object({ celsius: finite() }).strict(),
      effect: ({ params, attributes }) => ({
        freezerC: Math.round(requireInRange('Freezer temperature', params.celsius, freezerRange(attributes), ' °C')),
      }),
    }),
    adjustFreezerTemperature: defineCommand({
      summary: 'Change the freezer temperature by a signed number of degrees, clamped',
      params: z.object({ delta: finite() }).strict(),
      effect: ({ params, state, attributes }) => ({
        freezerC: Math.round(clamp(current(state, 'freezerC', -18) + params.delta, freezerRange(attributes))),
      }),
    }),
    setFridgeMode: defineCommand({
      summary: 'Set the fridge mode (eco, vacation, super cool...)',
      params: z.object({ mode: z.string().min(1) }).strict(),
      effect: ({ params, attributes }) => ({ mode: requireOption('Fridge mode', params.mode, modes(attributes)) }),
    }),
  },
});
