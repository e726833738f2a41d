import { z } from 'zod';
import { defineTrait, defineCommand, NoAttributes, NoParams, PERCENT, clamp, current, finite, requireInRange } from '../trait.ts';

export const brightness = defineTrait({
  id: 'brightness',
  summary: 'Brightness in percent',
  attributes: NoAttributes,
  fields: {
    brightness: {
      answers: { brightness: 1 },
      datatype: 'integer',
      unit: '%',
      range: () => PERCENT,
      set: (v) => ({ command: 'setBrightness', params: { brightness: Number(v) } }),
      aspects: ['brightness'],
      intent: 'HassLightSet',
      rank: 1,
      adjust: 'adjustBrightness',
      step: 20,
    },
  },
  serves: () => ['light'],
  commands: {
    setBrightness: defineCommand({
      summary: 'Set brightness (0-100 %)',
      turnsOn: true,
      params: z.object({ brightness: finite() }).strict(),
      effect: ({ params }) => ({ brightness: Math.round(requireInRange('Brightness', params.brightness, PERCENT, ' %')) }),
    }),
    adjustBrightness: defineCommand({
      summary: 'Change brightness by a signed number of percentage points, clamped to 0-100',
      turnsOn: true,
      params: z.object({ delta: finite() }).strict(),
      effect: ({ params, state }) => ({ brightness: Math.round(clamp(current(state, 'brightness', 0) + params.delta, PERCENT)) }),
    }),
  },
});
