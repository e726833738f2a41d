import { z } from 'zod';
import { defineTrait, defineCommand, NoParams, PERCENT, requireOption, type Attributes } from '../trait.ts';

const statuses = (a: Attributes): readonly string[] =>
  (a.statuses as string[] | undefined) ?? ['docked', 'mowing', 'paused', 'returning'];
const to = (status: string) => ({ attributes }: { attributes: Attributes }) => ({
  status: requireOption('Mower status', status, statuses(attributes)),
});

/**
 * A robot lawn mower: mow, pause where it is, go back to its dock to charge. `returning` becomes `docked` when it
 * reaches the dock: the driver reports that, as it reports the battery.
 */
export const mower = defineTrait({
  id: 'mower',
  summary: 'Robot lawn mower: mow, pause, return to dock',
  attributes: z.object({ statuses: z.array(z.string()).optional() }),
  fields: {
    status: {
      answers: { status: 0, remaining: 3 },
      alsoAnswers: { power: 2 },
      datatype: 'enum',
      options: statuses,
      set: (v) => ({ command: v === 'mowing' ? 'startMowing' : v === 'paused' ? 'pauseMowing' : 'dockMower', params: {} }),
    },
    batteryPct: { answers: { battery: 0 }, alsoAnswers: { remaining: 5 }, datatype: 'integer', unit: '%', range: () => PERCENT, readOnly: true },
    /** minutes of the run left while it mows or is paused in a run; 0 when no run is under way */
    remainingMin: { answers: { remaining: 1 }, alsoAnswers: { program: 2 }, hidden: true, datatype: 'integer', unit: 'min', readOnly: true, optional: true },
  },
  progress: { remaining: 'remainingMin', running: { field: 'status', value: 'mowing' }, activity: 'mowing' },
  active: { status: 'mowing' },
  acts: {
    on: { command: 'startMowing', intent: 'HassLawnMowerStartMowing', rank: 1 },
    open: { command: 'startMowing', intent: 'HassLawnMowerStartMowing', rank: 3 },
    start: { command: 'startMowing', intent: 'HassLawnMowerStartMowing', rank: 0 },
    play: { command: 'startMowing', intent: 'HassLawnMowerStartMowing', rank: 1 },
    stop: { command: 'pauseMowing', intent: 'StewardPauseMowing', rank: 0 },
    pause: { command: 'pauseMowing', intent: 'StewardPauseMowing', rank: 1 },
    off: { command: 'dockMower', intent: 'HassLawnMowerDock', rank: 1 },
    close: { command: 'dockMower', intent: 'HassLawnMowerDock', rank: 3 },
    dock: { command: 'dockMower', intent: 'HassLawnMowerDock', rank: 0, own: true },
    cancel: { command: 'dockMower', intent: 'HassLawnMowerDock', rank: 3 },
  },
  commands: {
    startMowing: defineCommand({ summary: 'Start or resume mowing', params: NoParams, effect: to('mowing') }),
    pauseMowing: defineCommand({ summary: 'Pause where it is', params: NoParams, effect: to('paused') }),
    dockMower: defineCommand({
      summary: 'Go back to the dock to charge',
      params: NoParams,
      effect: ({ state, attributes }) => (state.status === 'docked' ? {} : to('returning')({ attributes })),
    }),
  },
});
