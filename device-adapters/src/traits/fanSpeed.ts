import { z } from 'zod';
import { defineTrait, defineCommand, requireOption, type Attributes, type State } from '../trait.ts';

const speeds = (a: Attributes): readonly string[] => (a.fanSpeeds as string[] | undefined) ?? ['low', 'medium', 'high'];
/** `auto` is not a step on the low-to-high ladder. */
const ladder = (a: Attributes) => speeds(a).filter((s) => s !== 'auto');

function step(state: State, attributes: Attributes, delta: number): string {
  const steps = ladder(attributes);
  const at = steps.indexOf(String(state.fanSpeed));
  const from = at < 0 ? (delta > 0 ? -1 : steps.length) : at;
  return steps[Math.min(steps.length - 1, Math.max(0, from + delta))] ?? String(state.fanSpeed);
}

export const fanSpeed = defineTrait({
  id: 'fanSpeed',
  summary: 'Fan speed from a list of named speeds',
  attributes: z.object({ fanSpeeds: z.array(z.string()).min(1) }),
  fields: {
    fanSpeed: {
      answers: { fanSpeed: 0 },
      datatype: 'enum',
      options: speeds,
      set: (v) => ({ command: 'setFanSpeed', params: { speed: String(v) } }),
      aspects: ['fanSpeed', 'level'],
      intent: 'HassFanSetSpeed',
      ladder,
      rank: 7,
      adjust: 'adjustFanSpeed',
      step: 1,
    },
  },
  commands: {
    setFanSpeed: defineCommand({
      summary: 'Set a named fan speed',
      turnsOn: true,
      params: z.object({ speed: z.string().min(1) }).strict(),
      effect: ({ params, attributes }) => ({ fanSpeed: requireOption('Fan speed', params.speed, speeds(attributes)) }),
    }),
    adjustFanSpeed: defineCommand({
      summary: 'Step the fan speed up or down, stopping at the lowest and highest',
      turnsOn: true,
      params: z.object({ delta: z.number().int() }).strict(),
      effect: ({ params, state, attributes }) => ({ fanSpeed: step(state, attributes, params.delta) }),
    }),
  },
});
