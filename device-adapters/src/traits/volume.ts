import { z } from 'zod';
import { defineTrait, defineCommand, NoAttributes, NoParams, PERCENT, clamp, current, finite, requireInRange } from '../trait.ts';

export const volume = defineTrait({
  id: 'volume',
  summary: 'Volume in percent and mute',
  attributes: NoAttributes,
  fields: {
    volume: { answers: { volume: 0 }, datatype: 'integer', unit: '%', range: () => PERCENT, set: (v) => ({ command: 'setVolume', params: { volume: Number(v) } }), aspects: ['volume'], intent: 'HassSetVolume', adjustIntent: 'HassSetVolumeRelative', rank: 4, adjust: 'adjustVolume', step: 10 },
    muted: { alsoAnswers: { volume: 1 }, datatype: 'boolean', set: (v) => ({ command: v ? 'mute' : 'unmute', params: {} }) },
  },
  acts: {
    mute: { command: 'mute', intent: 'HassMediaPlayerMute', rank: 0, own: true },
    unmute: { command: 'unmute', intent: 'HassMediaPlayerUnmute', rank: 0, own: true },
  },
  commands: {
    setVolume: defineCommand({
      summary: 'Set volume (0-100)',
      params: z.object({ volume: finite() }).strict(),
      effect: ({ params }) => ({ volume: Math.round(requireInRange('Volume', params.volume, PERCENT)) }),
    }),
    adjustVolume: defineCommand({
      summary: 'Change volume by a signed number of steps, clamped to 0-100',
      params: z.object({ delta: finite() }).strict(),
      effect: ({ params, state }) => ({ volume: Math.round(clamp(current(state, 'volume', 0) + params.delta, PERCENT)) }),
    }),
    mute: defineCommand({ summary: 'Mute', params: NoParams, effect: () => ({ muted: true }) }),
    unmute: defineCommand({ summary: 'Unmute', params: NoParams, effect: () => ({ muted: false }) }),
  },
});
