import { z } from 'zod';
import { defineTrait, defineCommand, NoParams, PERCENT, requireOption, type Attributes } from '../trait.ts';

const statuses = (a: Attributes): readonly string[] =>
  (a.statuses as string[] | undefined) ?? ['docked', 'cleaning', 'paused', 'returning'];
const to = (status: string) => ({ attributes }: { attributes: Attributes }) => ({
  status: requireOption('Vacuum status', status, statuses(attributes)),
});

/**
 * A robot vacuum. `returning` becomes `docked` when the robot reaches its dock: the driver reports that. While it
 * cleans (or is paused in a run) it reports the minutes of the run left; 0 when no run is under way.
 */
export const vacuum = defineTrait({
  id: 'vacuum',
  summary: 'Robot vacuum: clean, pause, return to dock',
  attributes: z.object({ statuses: z.array(z.string()).optional() }),
  fields: {
    status: {
      answers: { status: 0, remaining: 3 },
      alsoAnswers: { power: 2 },
      datatype: 'enum',
      options: statuses,
      set: (v) => ({ command: v === 'cleaning' ? 'startCleaning' : v === 'paused' ? 'pauseCleaning' : 'returnToDock', params: {} }),
    },
    batteryPct: { answers: { battery: 0 }, alsoAnswers: { remaining: 5 }, datatype: 'integer', unit: '%', range: () => PERCENT, readOnly: true },
    remainingMin: { answers: { remaining: 1 }, alsoAnswers: { program: 2 }, hidden: true, datatype: 'integer', unit: 'min', readOnly: true, optional: true },
  },
  progress: { remaining: 'remainingMin', running: { field: 'status', value: 'cleaning' }, activity: 'cleaning' },
  active: { status: 'cleaning' },
  acts: {
    on: { command: 'startCleaning', intent: 'HassVacuumStart', rank: 1 },
    open: { command: 'startCleaning', intent: 'HassVacuumStart', rank: 3 },
    start: { command: 'startCleaning', intent: 'HassVacuumStart', rank: 0 },
    play: { command: 'startCleaning', intent: 'HassVacuumStart', rank: 1 },
    clean: { command: 'startCleaning', intent: 'HassVacuumStart', rank: 0, own: true },
    stop: { command: 'pauseCleaning', intent: 'HassVacuumPause', rank: 0 },
    pause: { command: 'pauseCleaning', intent: 'HassVacuumPause', rank: 1 },
    off: { command: 'returnToDock', intent: 'HassVacuumReturnToBase', rank: 1 },
    close: { command: 'returnToDock', intent: 'HassVacuumReturnToBase', rank: 3 },
    dock: { command: 'returnToDock', intent: 'HassVacuumReturnToBase', rank: 0, own: true },
    cancel: { command: 'returnToDock', intent: 'HassVacuumReturnToBase', rank: 3 },
  },
  commands: {
    startCleaning: defineCommand({ summary: 'Start or resume cleaning', params: NoParams, effect: to('cleaning') }),
    pauseCleaning: defineCommand({ summary: 'Pause where it is', params: NoParams, effect: to('paused') }),
    returnToDock: defineCommand({
      summary: 'Go back to the dock to charge',
      params: NoParams,
      effect: ({ state, attributes }) => (state.status === 'docked' ? {} : to('returning')({ attributes })),
    }),
  },
});
