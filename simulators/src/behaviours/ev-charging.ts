import { MINUTE, num, type BehaviourFactory } from './behaviour.ts';

/** An EV on a 7 kW home wallbox: about 1 % of a 75 kWh pack every 2 minutes. */
export const EV = { chargePctPerMin: 0.5 };

/**
 * An EV battery charges toward chargeLimitPct while charging and stops by itself at the limit, as a car does;
 * starting a charge at or above the limit ends it at once, and so does lowering the limit below the level.
 * Like a car's app it reports the minutes to the limit at its charging rate (0 when not charging).
 */
export const evCharging: BehaviourFactory = (host) => {
  let battery = num(host.state(), 'batteryPct');

  const minutesLeft = (s = host.state()): number => {
    if (s.charging !== true) return 0;
    return Math.max(0, Math.ceil((num(s, 'chargeLimitPct', 100) - battery) / EV.chargePctPerMin));
  };
  const report = () => {
    const left = minutesLeft();
    if (host.state().remainingMin !== left) host.apply({ remainingMin: left });
  };
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
    report();
  });

  // a state without the estimate (a home's initial state) gets it at once
  report();

  return {
    // a command that starts a charge or moves its limit reports the new estimate with it
    onCommand(_command, patch, before) {
      return 'charging' in patch || 'chargeLimitPct' in patch ? { ...patch, remainingMin: minutesLeft({ ...before, ...patch }) } : patch;
    },
    afterChange(changed) {
      if (typeof changed.batteryPct === 'number' && Math.floor(battery) !== changed.batteryPct) battery = changed.batteryPct;
      if ('charging' in changed || 'chargeLimitPct' in changed) stopAtLimit();
      if ('charging' in changed || 'chargeLimitPct' in changed || 'batteryPct' in changed) report();
    },
    dispose: () => minute.cancel(),
  };
};
