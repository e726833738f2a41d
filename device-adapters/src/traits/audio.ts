import { z } from 'zod';
import { defineTrait, defineCommand, NoAttributes, current } from '../trait.ts';

/** a clip the simulator (or a test rig) can play into the microphone: a file name, never a path */
export const CLIP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\.wav$/;

/**
 * A microphone that sends what it hears to the hub as a spoken command (protocol/voice.ts). No spoken words:
 * people speak *through* it, they do not command it. `listen` is push-to-talk; the driver captures the audio
 * (the simulator reads a named clip from its audio folder) and the node agent sends it.
 */
export const microphone = defineTrait({
  id: 'microphone',
  summary: 'Microphone: push-to-talk utterances sent to the hub',
  attributes: NoAttributes,
  fields: {
    /** utterances captured since start */
    utterances: { datatype: 'integer', readOnly: true, optional: true },
  },
  commands: {
    listen: defineCommand({
      summary: 'Push-to-talk: capture one utterance and send it to the hub (simulator: `clip` names a WAV in its audio folder)',
      params: z.object({ clip: z.string().regex(CLIP_NAME, 'a clip is a .wav file name').optional(), lang: z.string().min(2).max(16).optional() }).strict(),
      effect: ({ state }) => ({ utterances: current(state, 'utterances', 0) + 1 }),
    }),
  },
});

/** Where the hub's spoken replies are played: what was played last is reported (read-only), the audio is not. */
export const audioOutput = defineTrait({
  id: 'audioOutput',
  summary: 'Audio output for spoken replies',
  attributes: NoAttributes,
  fields: {
    lastPlayedBytes: { datatype: 'integer', unit: 'B', readOnly: true, optional: true },
    lastPlayedMime: { datatype: 'string', readOnly: true, optional: true },
    lastPlayedLang: { datatype: 'string', readOnly: true, optional: true },
    /** replies played since start */
    played: { datatype: 'integer', readOnly: true, optional: true },
  },
  commands: {},
});
