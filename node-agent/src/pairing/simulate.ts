import { DEVICE_TYPES, DEVICE_TYPE_IDS, StewardError, type DeviceType, type State } from '@steward/device-adapters';
import { friendlyNameLanguage } from '@steward/device-adapters/protocol/pairing.ts';
import type { NodeFile } from './credentials-file.ts';

/** what a simulated device of each type starts as (the shapes of the benchmark home's devices) */
const DEFAULTS: Record<DeviceType, { traits: readonly string[]; attributes: Record<string, unknown>; state: State }> = {
  light: { traits: ['onOff', 'brightness', 'colorTemperature'], attributes: { minK: 2700, maxK: 6500 }, state: { on: false, brightness: 80, colorTempK: 4000 } },
  tv: {
    traits: ['onOff', 'volume', 'playback', 'inputSource', 'app', 'channel'],
    attributes: { inputs: ['hdmi1', 'hdmi2', 'tv'], apps: ['netflix', 'youtube'], playbackStates: ['playing', 'paused', 'stopped'] },
    state: { on: false, volume: 20, muted: false, playback: 'stopped', input: 'hdmi1', app: null, channel: 1 },
  },
  air_conditioner: {
    traits: ['onOff', 'thermostat', 'fanSpeed'],
    attributes: { modes: ['cool', 'heat', 'dry', 'fan', 'auto'], minC: 16, maxC: 30, fanSpeeds: ['auto', 'low', 'medium', 'high'] },
    state: { on: false, mode: 'auto', targetC: 26, ambientC: 28, fanSpeed: 'auto' },
  },
  heater: { traits: ['onOff', 'thermostat'], attributes: { modes: ['heat'], minC: 10, maxC: 28 }, state: { on: false, mode: 'heat', targetC: 20, ambientC: 17 } },
  water_heater: { traits: ['onOff', 'thermostat'], attributes: { modes: ['heat'], minC: 35, maxC: 75 }, state: { on: true, mode: 'heat', targetC: 50, ambientC: 48 } },
  fan: { traits: ['onOff', 'fanSpeed'], attributes: { fanSpeeds: ['low', 'medium', 'high'] }, state: { on: false, fanSpeed: 'low' } },
  curtain: { traits: ['position'], attributes: {}, state: { position: 0 } },
  window: { traits: ['position'], attributes: {}, state: { position: 0 } },
  trunk: { traits: ['position'], attributes: {}, state: { position: 0 } },
  speaker: { traits: ['volume', 'playback'], attributes: { playbackStates: ['playing', 'paused', 'stopped'] }, state: { volume: 30, muted: false, playback: 'paused' } },
  vacuum: { traits: ['vacuum'], attributes: { statuses: ['docked', 'cleaning', 'paused', 'returning'] }, state: { status: 'docked', batteryPct: 100 } },
  sensor: { traits: ['temperature', 'humidity'], attributes: {}, state: { temperatureC: 22, humidityPct: 50 } },
  fridge: {
    traits: ['fridge'],
    attributes: { modes: ['normal', 'eco', 'vacation', 'super_cool'], fridgeMinC: 2, fridgeMaxC: 8, freezerMinC: -24, freezerMaxC: -15 },
    state: { fridgeC: 4, freezerC: -18, mode: 'normal' },
  },
  washer: { traits: ['program'], attributes: { programs: ['cotton', 'quick', 'wool'] }, state: { running: false, program: 'cotton', remainingMin: 0 } },
  dishwasher: { traits: ['program'], attributes: { programs: ['eco', 'quick', 'intensive'] }, state: { running: false, program: 'eco', remainingMin: 0 } },
  lock: { traits: ['lock'], attributes: {}, state: { locked: true } },
  seat_heater: { traits: ['level'], attributes: { minLevel: 0, maxLevel: 3 }, state: { level: 0 } },
  navigation: { traits: ['navigation'], attributes: {}, state: { destination: null } },
  ev_battery: { traits: ['charging'], attributes: { minLimitPct: 50, maxLimitPct: 100 }, state: { charging: false, batteryPct: 62, chargeLimitPct: 80 } },
  plug: { traits: ['onOff', 'powerMeter'], attributes: {}, state: { on: false, powerW: 0, energyKWh: 0 } },
};

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
  const d = DEFAULTS[type];
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
