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
    channel: { answers: { channel: 0 }, datatype: 'integer', range: () => CHANNELS, set: (v) => ({ command: 'setChannel', params: { channel: Number(v) } }),
      aspects: ['channel'],
      intent: 'StewardSetChannel',
      wholeSteps: true,
      rank: 8,
      adjust: 'adjustChannel',
      step: 1,
    },
  },
  // "next song" to a device with channels and no player changes channel
  acts: {
    next: { command: 'adjustChannel', intent: 'HassMediaNext', rank: 1, own: true, params: () => ({ delta: 1 }), effect: { field: 'channel', delta: 'delta' } },
    previous: { command: 'adjustChannel', intent: 'HassMediaPrevious', rank: 1, own: true, params: () => ({ delta: -1 }), effect: { field: 'channel', delta: 'delta' } },
  },
  commands: {
    setChannel: defineCommand({
      summary: 'Switch to a channel number',
      turnsOn: true,
      params: z.object({ channel: finite() }).strict(),
      effect: ({ params, state, attributes }) => ({
        channel: Math.round(requireInRange('Channel', params.channel, CHANNELS)),
        ...inputFor(state, attributes),
      }),
    }),
    adjustChannel: defineCommand({
      summary: 'Channel up (+1) or down (-1)',
      turnsOn: true,
      params: z.object({ delta: z.number().int() }).strict(),
      effect: ({ params, state, attributes }) => ({
        channel: clamp(current(state, 'channel', 1) + params.delta, CHANNELS),
        ...inputFor(state, attributes),
      }),
    }),
  },
});
