import { z } from 'zod';
import { defineTrait, defineCommand, requireOption, type Attributes } from '../trait.ts';

const modes = (a: Attributes): readonly string[] => (a.modes as string[] | undefined) ?? ['auto'];

/**
 * An operating mode from a list the device declares (an air purifier's auto, sleep, turbo). Thermostats and
 * fridges carry their own mode; this trait is for devices whose mode is all they choose.
 */
export const mode = defineTrait({
  id: 'mode',
  summary: 'Operating mode from a list of named modes',
  attributes: z.object({ modes: z.array(z.string()).min(1) }),
  fields: {
    mode: { answers: { mode: 0 }, datatype: 'enum', options: modes, set: (v) => ({ command: 'selectMode', params: { mode: String(v) } }), intent: 'StewardSetMode' },
  },
  commands: {
    selectMode: defineCommand({
      summary: 'Select an operating mode',
      params: z.object({ mode: z.string().min(1) }).strict(),
      effect: ({ params, attributes }) => ({ mode: requireOption('Mode', params.mode, modes(attributes)) }),
      turnsOn: true,
    }),
  },
});
