import { z } from 'zod';
import { defineTrait, defineCommand, NoParams, requireOption, type Attributes } from '../trait.ts';
import { StewardError } from '../errors.ts';

const programs = (a: Attributes): readonly string[] => (a.programs as string[] | undefined) ?? [];

/** Washers and dishwashers: choose a program, run it; `remainingMin` is counted down by the device. */
export const program = defineTrait({
  id: 'program',
  summary: 'Appliance programs: select, start, pause, cancel',
  attributes: z.object({ programs: z.array(z.string()).min(1) }),
  fields: {
    running: { alsoAnswers: { power: 1, program: 1, remaining: 0 }, datatype: 'boolean', states: { running: true, stopped: false }, set: (v) => ({ command: v ? 'startProgram' : 'pauseProgram', params: {} }) },
    program: {
      answers: { program: 0 },
      alsoAnswers: { remaining: 2 },
      datatype: 'enum',
      options: programs,
      set: (v) => ({ command: 'selectProgram', params: { program: String(v) } }),
      intent: 'StewardSelectProgram',
      // a running appliance cannot change its program: "start the dishwasher on eco" starts it with eco
      startsWith: { command: 'startProgram', param: 'program', intent: 'StewardStartProgram' },
    },
    remainingMin: { answers: { remaining: 1 }, alsoAnswers: { program: 2 }, hidden: true, datatype: 'integer', unit: 'min', readOnly: true },
  },
  progress: { remaining: 'remainingMin', running: { field: 'running', value: true } },
  active: { running: true },
  acts: {
    on: { command: 'startProgram', intent: 'StewardStartProgram', rank: 2 },
    open: { command: 'startProgram', intent: 'StewardStartProgram', rank: 4 },
    start: { command: 'startProgram', intent: 'StewardStartProgram', rank: 1 },
    play: { command: 'startProgram', intent: 'StewardStartProgram', rank: 2 },
    wash: { command: 'startProgram', intent: 'StewardStartProgram', rank: 0, own: true },
    off: { command: 'pauseProgram', intent: 'StewardPauseProgram', rank: 2 },
    close: { command: 'pauseProgram', intent: 'StewardPauseProgram', rank: 4 },
    stop: { command: 'pauseProgram', intent: 'StewardPauseProgram', rank: 1 },
    pause: { command: 'pauseProgram', intent: 'StewardPauseProgram', rank: 2 },
    cancel: { command: 'cancelProgram', intent: 'StewardPauseProgram', rank: 0 },
  },
  commands: {
    selectProgram: defineCommand({
      summary: 'Choose a program without starting it',
      params: z.object({ program: z.string().min(1) }).strict(),
      effect: ({ params, state, attributes }) => {
        const p = requireOption('Program', params.program, programs(attributes));
        if (state.running === true && p !== state.program) {
          throw new StewardError('CONFLICT', `Cannot change the program while ${String(state.program)} is running`);
        }
        return { program: p };
      },
    }),
    startProgram: defineCommand({
      summary: 'Start (or resume) a program; the selected one when none is given',
      params: z.object({ program: z.string().min(1).optional() }).strict(),
      effect: ({ params, state, attributes }) => {
        const p = params.program === undefined ? String(state.program) : requireOption('Program', params.program, programs(attributes));
        if (state.running === true && p !== state.program) {
          throw new StewardError('CONFLICT', `Cannot start ${p} while ${String(state.program)} is running`);
        }
        return { program: p, running: true };
      },
    }),
    pauseProgram: defineCommand({ summary: 'Pause the running program', params: NoParams, effect: () => ({ running: false }) }),
    cancelProgram: defineCommand({ summary: 'Stop and cancel the program', params: NoParams, effect: () => ({ running: false }) }),
  },
});
