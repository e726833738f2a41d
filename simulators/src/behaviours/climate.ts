import { MINUTE, num, tenth, type BehaviourFactory } from './behaviour.ts';

/**
 * Rates in °C per minute. `active`: how fast the device moves ambientC toward its target; `drift`: how fast the
 * room (or tank) returns to its baseline when nothing conditions it. A room split unit manages about 0.1 °C/min,
 * a car's small cabin several times that; a 2 kW element heats a 60 l tank by about 0.5 °C/min, which then loses
 * heat very slowly.
 */
export const CLIMATE_RATES: Record<string, { active: number; drift: number; baselineC?: number }> = {
  air_conditioner: { active: 0.1, drift: 0.05 },
  'car:air_conditioner': { active: 0.5, drift: 0.2 },
  heater: { active: 0.1, drift: 0.05 },
  water_heater: { active: 0.4, drift: 0.02, baselineC: 20 },
};

/** Which way each mode can push the temperature: cool and dry only lower it, heat only raises it, fan does neither. */
const MODE_DIRECTIONS: Record<string, readonly (-1 | 1)[]> = { cool: [-1], dry: [-1], heat: [1], fan: [], auto: [-1, 1] };

function stepToward(from: number, to: number, by: number): number {
  return from < to ? Math.min(to, from + by) : Math.max(to, from - by);
}

/** Rates for a device type, with a node-kind override (a car's climate is not a room's). */
export function climateRates(type: string, nodeKind: string | undefined) {
  return CLIMATE_RATES[`${nodeKind}:${type}`] ?? CLIMATE_RATES[type] ?? { active: 0.1, drift: 0.05 };
}

/**
 * A thermostat device (AC, heater, water heater): while on, ambientC drifts toward targetC in the directions its
 * mode allows; otherwise toward the baseline (the room's temperature when the device was installed, or a tank's
 * surroundings). A mode that cannot act (cool in a cold room) lets the room drift, but not past the target.
 */
export const climate =
  (nodeKind?: string): BehaviourFactory =>
  (host) => {
    const rates = climateRates(host.descriptor.type, nodeKind);
    const baseline = rates.baselineC ?? num(host.state(), 'ambientC', 22);
    // kept with full precision: slow drifts are smaller than the 0.1 °C the device reports
    let ambient = num(host.state(), 'ambientC', baseline);
    const tick = () => {
      const s = host.state();
      const target = num(s, 'targetC', ambient);
      const on = s.on !== false; // a thermostat without onOff is always on
      const directions = on ? (MODE_DIRECTIONS[String(s.mode)] ?? [-1, 1]) : [];
      const need = Math.sign(target - ambient) as -1 | 0 | 1;
      if (need !== 0 && directions.includes(need)) ambient = stepToward(ambient, target, rates.active);
      else if (need !== 0 || directions.length === 0) {
        const next = stepToward(ambient, baseline, rates.drift);
        // drifting across the target wakes the device up again: stop at the target
        ambient = directions.length > 0 && Math.sign(target - next) !== need ? target : next;
      } // else: holding the target
      if (tenth(ambient) !== s.ambientC) host.apply({ ambientC: tenth(ambient) });
    };
    const timer = host.clock.every(MINUTE, tick);
    return { dispose: () => timer.cancel() };
  };
