import { DEVICE_TYPES, DEVICE_TYPE_IDS, StewardError, type DeviceType } from '@steward/device-adapters';
import { friendlyNameLanguage } from '@steward/device-adapters/protocol/pairing.ts';
import type { NodeFile } from './credentials-file.ts';

/**
 * the simulators' driver module, loaded by name at run time (the agent never imports simulators): an optional peer
 * dependency of this package, so an agent installed alone works without it, except for --simulate
 */
export const SIMULATED_DRIVER_MODULE = '@steward/simulators/driver-module.ts';

/**
 * Throws a clear BAD_REQUEST when the simulators package cannot be found next to this agent (an agent installed
 * alone): --simulate needs it, nothing else does. `resolve` is for tests.
 */
export function assertSimulatorsInstalled(resolve: (specifier: string) => string = (s) => import.meta.resolve(s), module = SIMULATED_DRIVER_MODULE): void {
  try {
    resolve(module);
  } catch {
    throw new StewardError(
      'BAD_REQUEST',
      `--simulate needs the simulators package (${module.split('/').slice(0, 2).join('/')}), which is not installed next to this agent: install it (npm install @steward/simulators) or pair without --simulate`,
    );
  }
}

export function parseDeviceType(type: string): DeviceType {
  if (!(DEVICE_TYPE_IDS as readonly string[]).includes(type)) throw new StewardError('BAD_REQUEST', `--simulate takes a device type: ${DEVICE_TYPE_IDS.join(', ')}; got ${type}`);
  return type as DeviceType;
}

/**
 * A simulated device of `type` for a freshly paired agent, so it has something to control. Its id carries part of
 * the node id (`light_abcdef`), so two agents' simulated lights do not collide in the hub's registry.
 */
export function simulatedDevice(type: DeviceType, nodeId: string, opts: { area?: string; timeScale?: number; name?: string } = {}): NodeFile['devices'][number] {
  // what a simulated device of the type starts as is declared with the type
  const d = DEVICE_TYPES[type].simulated;
  const suffix = nodeId.replace(/^n-/, '').slice(0, 6).replace(/[^a-z0-9]/g, '');
  return {
    descriptor: {
      id: `${type}_${suffix}`,
      type,
      // the name the owner gave at pairing (in its language), else a generic one the owner can change later
      names: opts.name ? { [friendlyNameLanguage(opts.name)]: [opts.name] } : { en: [`${DEVICE_TYPES[type].words.en[0]} ${suffix}`] },
      traits: [...d.traits] as NodeFile['devices'][number]['descriptor']['traits'],
      attributes: { ...d.attributes },
    },
    state: { ...d.state },
    ...(opts.area ? { area: opts.area } : {}),
    driver: { module: SIMULATED_DRIVER_MODULE, options: { timeScale: opts.timeScale ?? 1 } },
  };
}
