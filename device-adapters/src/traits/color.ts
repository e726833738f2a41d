import { z } from 'zod';
import { defineTrait, defineCommand, NoAttributes, NoParams, PERCENT, finite, requireInRange } from '../trait.ts';

const HUE: readonly [number, number] = [0, 360];

export const color = defineTrait({
  id: 'color',
  summary: 'Colour as hue (0-360) and saturation (0-100 %)',
  attributes: NoAttributes,
  fields: {
    hue: { hidden: true, datatype: 'integer', unit: '°', range: () => HUE, set: (v) => ({ command: 'setColor', params: { hue: Number(v) } }), aspects: ['color'], intent: 'HassLightSet' },
    saturation: {
      hidden: true,
      datatype: 'integer',
      unit: '%',
      range: () => PERCENT,
      set: (v) => ({ command: 'setColor', params: { saturation: Number(v) } }),
      intent: 'HassLightSet',
    },
  },
  // a colour as it is; a white as a pale tint of it (warm whites amber, cool ones bluish)
  shows: {
    colour: { rank: 0, show: (c) => ({ field: 'hue', command: 'setColor', params: c.saturation === 0 ? { saturation: 0 } : { hue: c.hue, saturation: c.saturation } }) },
    white: {
      rank: 1,
      show: (kelvin) => ({
        field: 'hue',
        command: 'setColor',
        params: kelvin < 3500 ? { hue: 35, saturation: 45 } : kelvin < 5000 ? { saturation: 5 } : { hue: 210, saturation: 15 },
      }),
    },
  },
  commands: {
    setColor: defineCommand({
      summary: 'Set hue and/or saturation',
      turnsOn: true,
      params: z
        .object({ hue: finite().optional(), saturation: finite().optional() })
        .strict()
        .refine((p) => p.hue !== undefined || p.saturation !== undefined, 'hue or saturation is required'),
      effect: ({ params }) => ({
        ...(params.hue !== undefined ? { hue: Math.round(requireInRange('Hue', params.hue, HUE)) % 360 } : {}),
        ...(params.saturation !== undefined
          ? { saturation: Math.round(requireInRange('Saturation', params.saturation, PERCENT, ' %')) }
          : {}),
      }),
    }),
  },
});
