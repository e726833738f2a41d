import { z } from 'zod';
import { defineTrait, defineCommand, clamp, current, finite, requireInRange, type Attributes } from '../trait.ts';

const levels = (a: Attributes): readonly [number, number] => [Number(a.minLevel ?? 0), Number(a.maxLevel ?? 3)];

/** "turn on the seat heater": the middle level; off is the lowest */
const mid = ({ attributes }: { attributes: Attributes }) => {
  const [lo, hi] = levels(attributes);
  return { level: Math.ceil((lo + hi) / 2) };
};
const lowest = ({ attributes }: { attributes: Attributes }) => ({ level: levels(attributes)[0] });

/** A stepped level such as a seat heater's 0-3. */
export const level = defineTrait({
  id: 'level',
  summary: 'A level in whole steps (0 is off)',
  attributes: z.object({ minLevel: z.number().int(), maxLevel: z.number().int() }),
  fields: {
    level: {
      answers: { level: 0 },
      alsoAnswers: { power: 4 },
      datatype: 'integer',
      range: levels,
      set: (v) => ({ command: 'setLevel', params: { level: Number(v) } }),
      aspects: ['level'],
      intent: 'StewardSetLevel',
      wholeSteps: true,
      rank: 5,
      adjust: 'adjustLevel',
      step: 1,
    },
  },
  acts: {
    on: { command: 'setLevel', intent: 'StewardSetLevel', rank: 4, params: mid, effect: { field: 'level', value: 'level' } },
    open: { command: 'setLevel', intent: 'StewardSetLevel', rank: 5, params: mid, effect: { field: 'level', value: 'level' } },
    start: { command: 'setLevel', intent: 'StewardSetLevel', rank: 6, params: mid, effect: { field: 'level', value: 'level' } },
    off: { command: 'setLevel', intent: 'StewardSetLevel', rank: 4, params: lowest, effect: { field: 'level', value: 'level' } },
    close: { command: 'setLevel', intent: 'StewardSetLevel', rank: 5, params: lowest, effect: { field: 'level', value: 'level' } },
    stop: { command: 'setLevel', intent: 'StewardSetLevel', rank: 7, params: lowest, effect: { field: 'level', value: 'level' } },
  },
  commands: {
    setLevel: defineCommand({
      summary: 'Set the level',
      params: z.object({ level: finite() }).strict(),
      effect: ({ params, attributes }) => ({ level: Math.round(requireInRange('Level', params.level, levels(attributes))) }),
    }),
    adjustLevel: defineCommand({
      summary: 'Step the level up or down, clamped',
      params: z.object({ delta: z.number().int() }).strict(),
      effect: ({ params, state, attributes }) => ({ level: clamp(current(state, 'level', 0) + params.delta, levels(attributes)) }),
    }),
  },
});
