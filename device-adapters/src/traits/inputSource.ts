import { z } from 'zod';
import { defineTrait, defineCommand, requireOption, type Attributes } from '../trait.ts';

const inputs = (a: Attributes): readonly string[] => (a.inputs as string[] | undefined) ?? [];

export const inputSource = defineTrait({
  id: 'inputSource',
  summary: 'Input source (HDMI ports, tuner, USB)',
  attributes: z.object({ inputs: z.array(z.string()).min(1) }),
  fields: {
    input: { answers: { input: 0 }, datatype: 'enum', options: inputs, set: (v) => ({ command: 'setInput', params: { input: String(v) } }), intent: 'StewardSetInput' },
  },
  commands: {
    setInput: defineCommand({
      summary: 'Switch the input source',
      turnsOn: true,
      params: z.object({ input: z.string().min(1) }).strict(),
      effect: ({ params, attributes }) => ({ input: requireOption('Input', params.input, inputs(attributes)) }),
    }),
  },
});
