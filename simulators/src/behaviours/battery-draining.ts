import { MINUTE, num, type BehaviourFactory } from './behaviour.ts';

/**
 * A battery-powered sensor (a door contact, a phone's companion flags) loses charge slowly and raises its low-battery
 * flag at a fixed mark, as Zigbee and Z-Wave sensors report "battery low" below about 15 %. The simulator drains a
 * little each hour so a flag a home starts with changes over days of simulated time, and keeps the flag in step with
 * the percentage whatever sets it.
 */
export const BATTERY = {
  /** percent lost per hour (a coin cell lasts months; simulated homes want to see it move) */
  drainPctPerHour: 0.5,
  /** at or below this the device says its battery is low */
  lowPct: 15,
};

export const batteryDraining: BehaviourFactory = (host) => {
  let pct = num(host.state(), 'batteryPct', 100);
  const sync = () => {
    const s = host.state();
    const reported = Math.round(pct);
    const low = reported <= BATTERY.lowPct;
    const patch = { ...(reported !== s.batteryPct ? { batteryPct: reported } : {}), ...(low !== s.batteryLow ? { batteryLow: low } : {}) };
    if (Object.keys(patch).length) host.apply(patch);
  };
  const hour = host.clock.every(60 * MINUTE, () => {
    pct = Math.max(0, pct - BATTERY.drainPctPerHour);
    sync();
  });
  return {
    afterChange(changed) {
      // a new battery (a reset of the state) starts the drain again from what it reports
      if (typeof changed.batteryPct === 'number' && Math.round(pct) !== changed.batteryPct) {
        pct = changed.batteryPct;
        sync();
      }
    },
    dispose: () => hour.cancel(),
  };
};
