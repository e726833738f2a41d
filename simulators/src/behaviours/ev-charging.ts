import { MINUTE, num, type BehaviourFactory } from './behaviour.ts';

/** An EV on a 7 kW home wallbox: about 1 % of a 75 kWh pack every 2 minutes. */
export const EV = { chargePctPerMin: 0.5 };

/**
 * An EV battery charges toward chargeLimitPct while charging and stops by itself at the limit, as a car does;
 * starting a charge at or above the limit ends it at once, and so does lowering the limit below the level.
 */
export const evCharging: BehaviourFactory = (host) => {
  let battery = num(host.state(), 'batteryPct');

  const stopAtLimit = () => {
    const s = host.state();
    if (s.charging === true && battery >= num(s, 'chargeLimitPct', 100)) host.apply({ charging: false });
  };

  const minute = host.clock.every(MINUTE, () => {
    const s = host.state();
    if (s.charging !== true) return;
    battery = Math.min(num(s, 'chargeLimitPct', 100), battery + EV.chargePctPerMin);
    const pct = Math.floor(battery);
    if (pct !== s.batteryPct) host.apply({ batteryPct: pct });
    stopAtLimit();
  });

  return {
    afterChange(changed) {
      if (typeof changed.batteryPct === 'number' && Math.floor(battery) !== changed.batteryPct) battery = changed.batteryPct;
      if ('charging' in changed || 'chargeLimitPct' in changed) stopAtLimit();
    },
    dispose: () => minute.cancel(),
  };
};
