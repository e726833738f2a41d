import type { DeviceDescriptor } from '@steward/device-adapters';
import type { BehaviourFactory } from './behaviour.ts';
import { climate } from './climate.ts';
import { programCycle } from './program-cycle.ts';
import { mowerRobot, vacuumRobot } from './vacuum-robot.ts';
import { airPurifying } from './air-purifying.ts';
import { evCharging } from './ev-charging.ts';
import { batteryDraining } from './battery-draining.ts';

export * from './behaviour.ts';
export { climate, CLIMATE_RATES, climateRates } from './climate.ts';
export { programCycle, PROGRAM_MINUTES, programMinutes } from './program-cycle.ts';
export { vacuumRobot, mowerRobot, dockingRobot, VACUUM, MOWER, type RobotRates } from './vacuum-robot.ts';
export { airPurifying, PURIFIER } from './air-purifying.ts';
export { evCharging, EV } from './ev-charging.ts';
export { batteryDraining, BATTERY } from './battery-draining.ts';

/** The behaviours a device gets, by its traits. `nodeKind` picks node-specific rates (a car's cabin heats fast). */
export function behavioursFor(descriptor: Pick<DeviceDescriptor, 'traits'>, nodeKind?: string): BehaviourFactory[] {
  const out: BehaviourFactory[] = [];
  const has = (t: string) => (descriptor.traits as readonly string[]).includes(t);
  if (has('thermostat')) out.push(climate(nodeKind));
  if (has('program')) out.push(programCycle);
  if (has('vacuum')) out.push(vacuumRobot);
  if (has('mower')) out.push(mowerRobot);
  // a purifier measures the air it cleans
  if (has('airQuality') && has('onOff')) out.push(airPurifying);
  if (has('charging')) out.push(evCharging);
  // a sensor that reports its charge and a low-battery flag (traits/readings.ts `batteryLow`)
  if (has('battery') && has('batteryLow')) out.push(batteryDraining);
  return out;
}
