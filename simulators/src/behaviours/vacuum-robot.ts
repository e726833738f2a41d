import { MINUTE, num, type BehaviourFactory } from './behaviour.ts';
import type { Timer } from '../clock.ts';

/**
 * A robot vacuum of the common 5,000 mAh class: about 100 minutes of cleaning (1 %/min), about 3 hours to
 * recharge (0.5 %/min), and half a minute to drive back to its dock.
 */
export const VACUUM = {
  drainPctPerMin: 1,
  chargePctPerMin: 0.5,
  returnMs: 30_000,
  /** below this it gives up cleaning and goes home by itself */
  lowBatteryPct: 15,
};

export const vacuumRobot: BehaviourFactory = (host) => {
  // the battery level is kept with fractions; the device reports whole percent
  let battery = num(host.state(), 'batteryPct', 100);
  let trip: Timer | undefined;

  const cancelTrip = () => {
    trip?.cancel();
    trip = undefined;
  };
  const headHome = () => {
    cancelTrip();
    trip = host.clock.setTimeout(() => {
      trip = undefined;
      if (host.state().status === 'returning') host.apply({ status: 'docked' });
    }, VACUUM.returnMs);
  };

  const report = (next: number) => {
    battery = Math.min(100, Math.max(0, next));
    const pct = Math.round(battery);
    if (pct !== host.state().batteryPct) host.apply({ batteryPct: pct });
  };

  const minute = host.clock.every(MINUTE, () => {
    const status = host.state().status;
    if (status === 'cleaning') {
      report(battery - VACUUM.drainPctPerMin);
      if (battery <= VACUUM.lowBatteryPct && host.state().status === 'cleaning') host.apply({ status: 'returning' });
    } else if (status === 'docked' && battery < 100) report(battery + VACUUM.chargePctPerMin);
  });

  if (host.state().status === 'returning') headHome();

  return {
    afterChange(changed) {
      if (typeof changed.batteryPct === 'number' && Math.round(battery) !== changed.batteryPct) battery = changed.batteryPct;
      if (changed.status === 'returning') headHome();
      else if ('status' in changed) cancelTrip();
    },
    dispose() {
      minute.cancel();
      cancelTrip();
    },
  };
};
