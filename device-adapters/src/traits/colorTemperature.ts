import { z } from 'zod';
import { defineTrait, defineCommand, clamp, current, finite, requireInRange, type Attributes } from '../trait.ts';

const kelvinRange = (a: Attributes): readonly [number, number] => [Number(a.minK ?? 2700), Number(a.maxK ?? 6500)];

export const colorTemperature = defineTrait({
  id: 'colorTemperature',
  summary: 'White colour temperature in kelvin',
  attributes: z.object({ minK: z.number().int().positive().optional(), maxK: z.number().int().positive().optional() }),
  fields: {
    colorTempK: {
      hidden: true,
      datatype: 'integer',
      unit: 'K',
      range: kelvinRange,
      set: (v) => ({ command: 'setColorTemperature', params: { kelvin: Number(v) } }),
      aspects: ['colorTemp'],
      intent: 'HassLightSet',
      adjust: 'adjustColorTemperature',
      step: 1000,
      // "warmer", "cooler" said of a light: warm white is lower kelvin
      also: { aspect: 'temperature', sign: -1 },
    },
  },
  // a white within its range; of colours, only white itself (a neutral 4000 K)
  shows: {
    white: {
      rank: 0,
      show: (kelvin, attributes) => {
        const [lo, hi] = kelvinRange(attributes);
        return { field: 'colorTempK', value: Math.min(hi, Math.max(lo, kelvin)) };
      },
    },
    colour: { rank: 1, show: (c) => (c.saturation === 0 ? { field: 'colorTempK', value: 4000 } : 'onlyWhite') },
  },
  commands: {
    setColorTemperature: defineCommand({
      summary: 'Set colour temperature in kelvin',
      turnsOn: true,
      params: z.object({ kelvin: finite() }).strict(),
      effect: ({ params, attributes }) => ({
        colorTempK: Math.round(requireInRange('Colour temperature', params.kelvin, kelvinRange(attributes), ' K')),
      }),
    }),
    adjustColorTemperature: defineCommand({
      summary: 'Change colour temperature by a signed number of kelvin (positive is cooler), clamped',
      turnsOn: true,
      params: z.object({ delta: finite() }).strict(),
      effect: ({ params, state, attributes }) => ({
        colorTempK: Math.round(clamp(current(state, 'colorTempK', 4000) + params.delta, kelvinRange(attributes))),
      }),
    }),
  },
});
