import type { DeviceDescriptor } from '@steward/device-adapters';
import type { BehaviourFactory } from './behaviour.ts';
import { climate } from './climate.ts';
import { programCycle } from './program-cycle.ts';
import { vacuumRobot } from './vacuum-robot.ts';
import { evCharging } from './ev-charging.ts';

export * from './behaviour.ts';
export { climate, CLIMATE_RATES, climateRates } from './climate.ts';
export { programCycle, PROGRAM_MINUTES, programMinutes } from './program-cycle.ts';
export { vacuumRobot, VACUUM } from './vacuum-robot.ts';
export { evCharging, EV } from './ev-charging.ts';

/** The behaviours a device gets, by its traits. `nodeKind` picks node-specific rates (a car's cabin heats fast). */
export function behavioursFor(descriptor: Pick<DeviceDescriptor, 'traits'>, nodeKind?: string): BehaviourFactory[] {
  const out: BehaviourFactory[] = [];
  const has = (t: string) => (descriptor.traits as readonly string[]).includes(t);
  if (has('thermostat')) out.push(climate(nodeKind));
  if (has('program')) out.push(programCycle);
  if (has('vacuum')) out.push(vacuumRobot);
  if (has('charging')) out.push(evCharging);
  return out;
}
