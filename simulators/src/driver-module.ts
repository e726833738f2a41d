import { z } from 'zod';
import { StewardError, type DeviceDescriptor, type DeviceDriver, type State } from '@steward/device-adapters';
import type { DriverModule } from '@steward/node-agent';
import { RealClock } from './clock.ts';
import { SimulatedDriver } from './simulated-driver.ts';

/**
 * The driver module a node agent loads to host simulated devices: in the agent config,
 * `"driver": {"module": "@steward/simulators/driver-module.ts", "options": {"timeScale": 60}}`.
 */
export const SimDriverOptionsSchema = z
  .object({
    /** 1 = real time; 60 = a simulated minute per real second (demos) */
    timeScale: z.number().positive().finite().default(1),
    /** the kind of node hosting the device (`car` picks a car cabin's climate rates) */
    nodeKind: z.string().optional(),
  })
  .strict();
export type SimDriverOptions = z.input<typeof SimDriverOptionsSchema>;

/** one clock per speed, shared by the devices of an agent */
const clocks = new Map<number, RealClock>();

export const createDriver: DriverModule['createDriver'] = (device: DeviceDescriptor, initialState: State, options): DeviceDriver => {
  const r = SimDriverOptionsSchema.safeParse(options ?? {});
  if (!r.success) {
    throw new StewardError('BAD_REQUEST', `simulator options for ${device.id}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { timeScale, nodeKind } = r.data;
  let clock = clocks.get(timeScale);
  if (!clock) clocks.set(timeScale, (clock = new RealClock(timeScale)));
  return new SimulatedDriver(device, initialState, { clock, ...(nodeKind ? { nodeKind } : {}) });
};

/**
 * How agent configs written by the fleet name this module: a package specifier, which each agent process resolves
 * itself (to the built dist/ when it runs as plain node), so a fleet started from the TypeScript sources (tests)
 * never hands a .ts file to an agent that runs JavaScript.
 */
export const DRIVER_MODULE = '@steward/simulators/driver-module.ts';
