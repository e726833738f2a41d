import { z } from 'zod';
import { defineTrait, defineCommand, clamp, current, finite, requireInRange, type Attributes, type State } from '../trait.ts';

const CHANNELS: readonly [number, number] = [1, 999];
const TUNER = 'tv';

/**
 * Channels come from the tuner or from a set-top box on HDMI. Only when the current input cannot show channels
 * (USB media) does a channel change switch to the tuner.
 */
function inputFor(state: State, attributes: Attributes): State {
  const inputs = (attributes.inputs as string[] | undefined) ?? [];
  const input = typeof state.input === 'string' ? state.input : undefined;
  if (!inputs.includes(TUNER) || input === undefined) return {};
  return input === TUNER || input.startsWith('hdmi') ? {} : { input: TUNER };
}

export const channel = defineTrait({
  id: 'channel',
  summary: 'TV channel number (1-999)',
  attributes: z.object({}),
  fields: {
    channel: { datatype: 'integer', range: () => CHANNELS, set: (v) => ({ command: 'setChannel', params: { channel: Number(v) } }) },
  },
  commands: {
    setChannel: defineCommand({
      summary: 'Switch to a channel number',
      params: z.object({ channel: finite() }).strict(),
      effect: ({ params, state, attributes }) => ({
        channel: Math.round(requireInRange('Channel', params.channel, CHANNELS)),
        ...inputFor(state, attributes),
      }),
    }),
    adjustChannel: defineCommand({
      summary: 'Channel up (+1) or down (-1)',
      params: z.object({ delta: z.number().int() }).strict(),
      effect: ({ params, state, attributes }) => ({
        channel: clamp(current(state, 'channel', 1) + params.delta, CHANNELS),
        ...inputFor(state, attributes),
      }),
    }),
  },
});
