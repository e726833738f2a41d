import { z } from 'zod';
import { defineTrait, defineCommand, NoAttributes, NoParams, PERCENT, clamp, current, finite, requireInRange } from '../trait.ts';

/** Curtains, windows, trunks: 0 is closed, 100 fully open. Movement takes time (Homie `$target`). */
export const position = defineTrait({
  id: 'position',
  summary: 'Open position in percent (0 closed, 100 open)',
  attributes: NoAttributes,
  fields: {
    position: {
      answers: { open: 0, position: 0 },
      datatype: 'integer',
      unit: '%',
      range: () => PERCENT,
      gradual: true,
      set: (v) => ({ command: 'setPosition', params: { position: Number(v) } }),
      aspects: ['position'],
      intent: 'HassSetPosition',
      rank: 3,
      adjust: 'adjustPosition',
      step: 20,
    },
  },
  // "raise the blinds": all the way; a window that opens downwards is said in its device type
  acts: {
    on: { command: 'open', intent: 'HassTurnOn', rank: 0 },
    open: { command: 'open', intent: 'HassTurnOn', rank: 1 },
    start: { command: 'open', intent: 'HassTurnOn', rank: 5 },
    off: { command: 'close', intent: 'HassTurnOff', rank: 0 },
    close: { command: 'close', intent: 'HassTurnOff', rank: 1 },
    stop: { command: 'stopMoving', intent: 'StewardStopMoving', rank: 4 },
    pause: { command: 'stopMoving', intent: 'StewardStopMoving', rank: 4 },
  },
  commands: {
    open: defineCommand({ summary: 'Open fully', params: NoParams, effect: () => ({ position: 100 }) }),
    close: defineCommand({ summary: 'Close fully', params: NoParams, effect: () => ({ position: 0 }) }),
    setPosition: defineCommand({
      summary: 'Move to a position (0-100 %)',
      params: z.object({ position: finite() }).strict(),
      effect: ({ params }) => ({ position: Math.round(requireInRange('Position', params.position, PERCENT, ' %')) }),
    }),
    adjustPosition: defineCommand({
      summary: 'Open (positive) or close (negative) by percentage points, clamped',
      params: z.object({ delta: finite() }).strict(),
      effect: ({ params, state }) => ({ position: Math.round(clamp(current(state, 'position', 0) + params.delta, PERCENT)) }),
    }),
    // The driver replaces the target with where the motor stopped.
    stopMoving: defineCommand({ summary: 'Stop where it is', params: NoParams, effect: () => ({}) }),
  },
});
