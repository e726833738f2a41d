import { z } from 'zod';
import { defineTrait, defineCommand, NoParams, requireOption, type Attributes } from '../trait.ts';

const apps = (a: Attributes): readonly string[] => (a.apps as string[] | undefined) ?? [];

export const app = defineTrait({
  id: 'app',
  summary: 'The app in the foreground (null when none)',
  attributes: z.object({ apps: z.array(z.string()).min(1) }),
  fields: {
    app: {
      answers: { app: 0 },
      datatype: 'enum',
      nullable: true,
      options: apps,
      set: (v) => (v === null || v === '' ? { command: 'closeApp', params: {} } : { command: 'openApp', params: { app: String(v) } }),
      intent: 'StewardOpenApp',
    },
  },
  commands: {
    // Opening an app changes only the app: the input stays (a TV shows apps on top of any input).
    openApp: defineCommand({
      summary: 'Open an app',
      turnsOn: true,
      params: z.object({ app: z.string().min(1) }).strict(),
      effect: ({ params, attributes }) => ({ app: requireOption('App', params.app, apps(attributes)) }),
    }),
    closeApp: defineCommand({ summary: 'Close the app in the foreground', params: NoParams, effect: () => ({ app: null }) }),
  },
});
