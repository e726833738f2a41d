import { MINUTE, num, type BehaviourFactory } from './behaviour.ts';
import type { Timer } from '../clock.ts';

/**
 * A robot vacuum of the common 5,000 mAh class: about 100 minutes of cleaning (1 %/min), about 3 hours to
 * recharge (0.5 %/min), and half a minute to drive back to its dock. A whole-home run takes 60 minutes.
 */
export const VACUUM = {
  drainPctPerMin: 1,
  chargePctPerMin: 0.5,
  returnMs: 30_000,
  /** below this it gives up cleaning and goes home by itself */
  lowBatteryPct: 15,
  /** one cleaning run of the whole home */
  runMin: 60,
};

/**
 * Starting from the dock begins a run of VACUUM.runMin minutes, reported as remainingMin and counted down while it
 * cleans; a pause keeps what is left and resuming continues from there. When the run is done, or the battery runs
 * low, or it is sent home, the run ends (remainingMin 0) and the robot drives back to its dock.
 */
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
    const s = host.state();
    if (s.status === 'cleaning') {
      report(battery - VACUUM.drainPctPerMin);
      const left = Math.max(0, num(s, 'remainingMin') - 1);
      if (left === 0) host.apply({ status: 'returning', remainingMin: 0 });
      else if (battery <= VACUUM.lowBatteryPct) host.apply({ status: 'returning', remainingMin: 0 });
      else host.apply({ remainingMin: left });
    } else if (s.status === 'docked' && battery < 100) report(battery + VACUUM.chargePctPerMin);
  });

  // a state without the run's minutes (a home's initial state) gets them at once
  const s0 = host.state();
  if (typeof s0.remainingMin !== 'number') {
    host.apply({ remainingMin: s0.status === 'cleaning' || s0.status === 'paused' ? VACUUM.runMin : 0 });
  }
  if (s0.status === 'returning') headHome();

  return {
    onCommand(command, patch, before) {
      if (patch.status === 'cleaning') {
        // resuming a paused run continues it; otherwise a new run starts
        const left = num(before, 'remainingMin');
        return (before.status === 'paused' || before.status === 'cleaning') && left > 0 ? patch : { ...patch, remainingMin: VACUUM.runMin };
      }
      if (patch.status === 'returning' || patch.status === 'docked') return { ...patch, remainingMin: 0 };
      return patch;
    },
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
