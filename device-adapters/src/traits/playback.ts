import { z } from 'zod';
import { defineTrait, defineCommand, NoParams, requireOption, type Attributes } from '../trait.ts';

const states = (a: Attributes): readonly string[] => (a.playbackStates as string[] | undefined) ?? ['playing', 'paused', 'stopped'];
const to = (playback: string) => ({ attributes }: { attributes: Attributes }) => ({
  playback: requireOption('Playback state', playback, states(attributes)),
});

export const playback = defineTrait({
  id: 'playback',
  summary: 'Play, pause and stop media; skip to the next or previous track',
  attributes: z.object({ playbackStates: z.array(z.string()).optional() }),
  fields: {
    playback: {
      answers: { playback: 0 },
      alsoAnswers: { power: 3 },
      datatype: 'enum',
      options: states,
      set: (v) => ({ command: v === 'playing' ? 'play' : v === 'paused' ? 'pause' : 'stop', params: {} }),
    },
  },
  active: { playback: 'playing' },
  acts: {
    on: { command: 'play', intent: 'HassMediaUnpause', rank: 6 },
    open: { command: 'play', intent: 'HassMediaUnpause', rank: 7 },
    start: { command: 'play', intent: 'HassMediaUnpause', rank: 4 },
    play: { command: 'play', intent: 'HassMediaUnpause', rank: 0, own: true },
    off: { command: 'pause', intent: 'HassMediaPause', rank: 6 },
    close: { command: 'pause', intent: 'HassMediaPause', rank: 7 },
    pause: { command: 'pause', intent: 'HassMediaPause', rank: 0, own: true },
    stop: { command: 'stop', intent: 'HassMediaStop', rank: 3 },
    next: { command: 'next', intent: 'HassMediaNext', rank: 0, own: true },
    previous: { command: 'previous', intent: 'HassMediaPrevious', rank: 0, own: true },
  },
  commands: {
    play: defineCommand({ summary: 'Play or resume', params: NoParams, effect: to('playing'), turnsOn: true }),
    pause: defineCommand({ summary: 'Pause', params: NoParams, effect: to('paused') }),
    stop: defineCommand({ summary: 'Stop', params: NoParams, effect: to('stopped') }),
    // skipping a track plays the track skipped to (a stopped or paused player starts playing)
    next: defineCommand({ summary: 'Skip to the next track', params: NoParams, effect: to('playing') }),
    previous: defineCommand({ summary: 'Go back to the previous track', params: NoParams, effect: to('playing') }),
  },
});
