import { MINUTE, num, type BehaviourFactory } from './behaviour.ts';
import type { Timer } from '../clock.ts';

/** How a docking robot spends its battery and its run. */
export interface RobotRates {
  drainPctPerMin: number;
  chargePctPerMin: number;
  returnMs: number;
  /** below this it gives up working and goes home by itself */
  lowBatteryPct: number;
  /** one run of the whole home (or garden) */
  runMin: number;
}

/**
 * A robot vacuum of the common 5,000 mAh class: about 100 minutes of cleaning (1 %/min), about 3 hours to
 * recharge (0.5 %/min), and half a minute to drive back to its dock. A whole-home run takes 60 minutes.
 */
export const VACUUM: RobotRates = {
  drainPctPerMin: 1,
  chargePctPerMin: 0.5,
  returnMs: 30_000,
  /** below this it gives up cleaning and goes home by itself */
  lowBatteryPct: 15,
  /** one cleaning run of the whole home */
  runMin: 60,
};

/**
 * A robot lawn mower of the common 20 V, 2-4 Ah class: about 100 minutes of mowing per charge, about as long to
 * recharge, a minute to drive back across the lawn; a whole-garden run takes 120 minutes.
 */
export const MOWER: RobotRates = { drainPctPerMin: 1, chargePctPerMin: 1, returnMs: 60_000, lowBatteryPct: 20, runMin: 120 };

/**
 * Starting from the dock begins a run of `rates.runMin` minutes, reported as remainingMin and counted down while
 * it works (`working`: the status that says so); a pause keeps what is left and resuming continues from there.
 * When the run is done, or the battery runs low, or it is sent home, the run ends (remainingMin 0) and the robot
 * drives back to its dock.
 */
export const dockingRobot = (working: string, rates: RobotRates): BehaviourFactory => (host) => {
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
    }, rates.returnMs);
  };

  const report = (next: number) => {
    battery = Math.min(100, Math.max(0, next));
    const pct = Math.round(battery);
    if (pct !== host.state().batteryPct) host.apply({ batteryPct: pct });
  };

  const minute = host.clock.every(MINUTE, () => {
    const s = host.state();
    if (s.status === working) {
      report(battery - rates.drainPctPerMin);
      const left = Math.max(0, num(s, 'remainingMin') - 1);
      if (left === 0) host.apply({ status: 'returning', remainingMin: 0 });
      else if (battery <= rates.lowBatteryPct) host.apply({ status: 'returning', remainingMin: 0 });
      else host.apply({ remainingMin: left });
    } else if (s.status === 'docked' && battery < 100) report(battery + rates.chargePctPerMin);
  });

  // a state without the run's minutes (a home's initial state) gets them at once
  const s0 = host.state();
  if (typeof s0.remainingMin !== 'number') {
    host.apply({ remainingMin: s0.status === working || s0.status === 'paused' ? rates.runMin : 0 });
  }
  if (s0.status === 'returning') headHome();

  return {
    onCommand(command, patch, before) {
      if (patch.status === working) {
        // resuming a paused run continues it; otherwise a new run starts
        const left = num(before, 'remainingMin');
        return (before.status === 'paused' || before.status === working) && left > 0 ? patch : { ...patch, remainingMin: rates.runMin };
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

export const vacuumRobot: BehaviourFactory = dockingRobot('cleaning', VACUUM);
export const mowerRobot: BehaviourFactory = dockingRobot('mowing', MOWER);
