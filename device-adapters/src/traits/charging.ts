import { z } from 'zod';
import { defineTrait, defineCommand, NoParams, PERCENT, finite, requireInRange, type Attributes } from '../trait.ts';

const limitRange = (a: Attributes): readonly [number, number] => [Number(a.minLimitPct ?? 50), Number(a.maxLimitPct ?? 100)];

/**
 * An EV battery: charging on/off and the charge limit; the battery level is measured, and while charging the car
 * estimates the minutes until it reaches the limit (0 when not charging).
 */
export const charging = defineTrait({
  id: 'charging',
  summary: 'EV charging and charge limit',
  attributes: z.object({ minLimitPct: z.number(), maxLimitPct: z.number() }),
  fields: {
    charging: { answers: { remaining: 4 }, alsoAnswers: { power: 5, battery: 1 }, datatype: 'boolean', states: { charging: true, notCharging: false }, set: (v) => ({ command: v ? 'startCharging' : 'stopCharging', params: {} }) },
    batteryPct: { answers: { battery: 0 }, alsoAnswers: { remaining: 5 }, datatype: 'integer', unit: '%', range: () => PERCENT, readOnly: true },
    remainingMin: { answers: { remaining: 1 }, alsoAnswers: { program: 2 }, hidden: true, datatype: 'integer', unit: 'min', readOnly: true, optional: true },
    chargeLimitPct: {
      answers: { chargeLimit: 0 },
      alsoAnswers: { remaining: 6 },
      datatype: 'integer',
      unit: '%',
      range: limitRange,
      set: (v) => ({ command: 'setChargeLimit', params: { percent: Number(v) } }),
      aspects: ['chargeLimit', 'battery'],
      intent: 'StewardSetChargeLimit',
      rank: 6,
      numberWith: 'charge',
      step: 10,
    },
  },
  progress: { remaining: 'remainingMin', running: { field: 'charging', value: true }, activity: 'charging', level: 'batteryPct', limit: 'chargeLimitPct' },
  acts: {
    on: { command: 'startCharging', intent: 'StewardStartCharging', rank: 3 },
    open: { command: 'startCharging', intent: 'StewardStartCharging', rank: 6 },
    start: { command: 'startCharging', intent: 'StewardStartCharging', rank: 2 },
    charge: { command: 'startCharging', intent: 'StewardStartCharging', rank: 0, own: true },
    off: { command: 'stopCharging', intent: 'StewardStopCharging', rank: 3 },
    close: { command: 'stopCharging', intent: 'StewardStopCharging', rank: 6 },
    stop: { command: 'stopCharging', intent: 'StewardStopCharging', rank: 2 },
    pause: { command: 'stopCharging', intent: 'StewardStopCharging', rank: 3 },
    cancel: { command: 'stopCharging', intent: 'StewardStopCharging', rank: 2 },
  },
  commands: {
    startCharging: defineCommand({ summary: 'Start charging', params: NoParams, effect: () => ({ charging: true }) }),
    stopCharging: defineCommand({ summary: 'Stop charging', params: NoParams, effect: () => ({ charging: false }) }),
    setChargeLimit: defineCommand({
      summary: 'Set the charge limit in percent',
      params: z.object({ percent: finite() }).strict(),
      effect: ({ params, attributes }) => ({
        chargeLimitPct: Math.round(requireInRange('Charge limit', params.percent, limitRange(attributes), ' %')),
      }),
    }),
  },
});
