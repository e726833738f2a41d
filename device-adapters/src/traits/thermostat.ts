import { z } from 'zod';
import { defineTrait, defineCommand, clamp, current, finite, requireInRange, requireOption, type Attributes } from '../trait.ts';

const targetRange = (a: Attributes): readonly [number, number] => [Number(a.minC ?? 16), Number(a.maxC ?? 30)];
const modes = (a: Attributes): readonly string[] => (a.modes as string[] | undefined) ?? ['auto'];

export const thermostat = defineTrait({
  id: 'thermostat',
  summary: 'Target temperature and mode; ambient temperature is measured',
  attributes: z.object({ modes: z.array(z.string()).min(1), minC: z.number(), maxC: z.number() }),
  fields: {
    mode: { answers: { mode: 0 }, datatype: 'enum', options: modes, set: (v) => ({ command: 'setMode', params: { mode: String(v) } }), intent: 'StewardSetMode' },
    targetC: {
      answers: { temperature: 0 },
      datatype: 'float',
      unit: '°C',
      range: targetRange,
      set: (v) => ({ command: 'setTargetTemperature', params: { celsius: Number(v) } }),
      aspects: ['temperature'],
      intent: 'HassClimateSetTemperature',
      rank: 2,
      adjust: 'adjustTargetTemperature',
      step: 1,
      // "it's cold" to an AC that is cooling: raising its target would still cool
      modes: { field: 'mode', up: 'heat', down: 'cool' },
    },
    ambientC: { room: { temperature: 1 }, alsoAnswers: { temperature: 1 }, datatype: 'float', unit: '°C', readOnly: true },
  },
  // a thermostat conditions the air people are in when its targets include room temperatures (a boiler's 35-75 °C
  // heats water, not the room); its modes say whether it cools, warms or both
  serves: (a) => {
    const [min, max] = targetRange(a);
    if (min > 26 || max < 18) return [];
    return modes(a).flatMap((m) => (m === 'cool' ? (['cool'] as const) : m === 'heat' ? (['warm'] as const) : []));
  },
  commands: {
    setTargetTemperature: defineCommand({
      summary: 'Set the target temperature in °C',
      turnsOn: true,
      params: z.object({ celsius: finite() }).strict(),
      effect: ({ params, attributes }) => ({
        targetC: Math.round(requireInRange('Target temperature', params.celsius, targetRange(attributes), ' °C') * 2) / 2,
      }),
    }),
    adjustTargetTemperature: defineCommand({
      summary: 'Change the target temperature by a signed number of degrees, clamped to the range',
      turnsOn: true,
      params: z.object({ delta: finite() }).strict(),
      effect: ({ params, state, attributes }) => ({
        targetC: clamp(current(state, 'targetC', 24) + params.delta, targetRange(attributes)),
      }),
    }),
    setMode: defineCommand({
      summary: 'Set the operating mode',
      turnsOn: true,
      params: z.object({ mode: z.string().min(1) }).strict(),
      effect: ({ params, attributes }) => ({ mode: requireOption('Mode', params.mode, modes(attributes)) }),
    }),
  },
});
