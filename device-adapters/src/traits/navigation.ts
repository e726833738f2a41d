import { z } from 'zod';
import { defineTrait, defineCommand, NoAttributes, NoParams } from '../trait.ts';

export const navigation = defineTrait({
  id: 'navigation',
  summary: 'Route guidance to a free-text destination',
  attributes: NoAttributes,
  fields: {
    destination: {
      answers: { destination: 0 },
      datatype: 'string',
      nullable: true,
      set: (v) => (v === null || v === '' ? { command: 'cancelNavigation', params: {} } : { command: 'navigateTo', params: { destination: String(v) } }),
    },
  },
  acts: {
    navigate: {
      command: 'navigateTo', intent: 'StewardNavigate', rank: 0, own: true,
      params: ({ destination }) => (destination ? { destination } : undefined), effect: { value: 'destination' },
    },
    off: { command: 'cancelNavigation', intent: 'StewardCancelNavigation', rank: 7 },
    close: { command: 'cancelNavigation', intent: 'StewardCancelNavigation', rank: 8 },
    stop: { command: 'cancelNavigation', intent: 'StewardCancelNavigation', rank: 5 },
    cancel: { command: 'cancelNavigation', intent: 'StewardCancelNavigation', rank: 1 },
  },
  commands: {
    navigateTo: defineCommand({
      summary: 'Start guidance to a destination',
      params: z.object({ destination: z.string().trim().min(1).max(200) }).strict(),
      effect: ({ params }) => ({ destination: params.destination }),
    }),
    cancelNavigation: defineCommand({ summary: 'Stop guidance', params: NoParams, effect: () => ({ destination: null }) }),
  },
});
