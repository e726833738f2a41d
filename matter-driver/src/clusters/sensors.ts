import { BooleanState, OccupancySensing, PowerSource, RelativeHumidityMeasurement, SmokeCoAlarm, TemperatureMeasurement } from '@matter/main/clusters';
import type { State } from '@steward/device-adapters';
import { known, num, round, type ClusterMapping, type EndpointView } from './mapping.ts';

/** TemperatureMeasurement → temperature: `measuredValue` in 0.01 °C. */
export const temperatureMapping: ClusterMapping = {
  name: 'temperature-measurement',
  cluster: TemperatureMeasurement,
  describe: () => ({ traits: ['temperature'] }),
  read: (ep) => {
    const v = num(ep.read(TemperatureMeasurement, 'measuredValue'));
    return known({ temperatureC: v === undefined ? undefined : round(v / 100, 2) });
  },
};

/** RelativeHumidityMeasurement → humidity: `measuredValue` in 0.01 %. */
export const humidityMapping: ClusterMapping = {
  name: 'relative-humidity-measurement',
  cluster: RelativeHumidityMeasurement,
  describe: () => ({ traits: ['humidity'] }),
  read: (ep) => {
    const v = num(ep.read(RelativeHumidityMeasurement, 'measuredValue'));
    return known({ humidityPct: v === undefined ? undefined : round(v / 100, 2) });
  },
};

/** OccupancySensing → motion: the `occupied` bit of `occupancy`. */
export const occupancyMapping: ClusterMapping = {
  name: 'occupancy-sensing',
  cluster: OccupancySensing,
  describe: () => ({ traits: ['motion'] }),
  read: (ep) => {
    const v = ep.read(OccupancySensing, 'occupancy') as { occupied?: boolean } | undefined;
    return known({ occupied: typeof v?.occupied === 'boolean' ? v.occupied : undefined });
  },
};

/** Matter's Water Leak Detector device type: its BooleanState says water, not a contact */
const WATER_LEAK_DETECTOR = 0x0043;
const isLeakDetector = (ep: EndpointView) => ep.deviceTypes.includes(WATER_LEAK_DETECTOR);

/**
 * BooleanState → contact, or leak on a Water Leak Detector. A contact sensor's `stateValue` is true while the
 * contact is made, so open is false; a leak detector's is true while it senses water.
 */
export const booleanStateMapping: ClusterMapping = {
  name: 'boolean-state',
  cluster: BooleanState,
  describe: (ep) => ({ traits: [isLeakDetector(ep) ? 'leak' : 'contact'] }),
  read: (ep): State => {
    const v = ep.read(BooleanState, 'stateValue');
    if (typeof v !== 'boolean') return {};
    return isLeakDetector(ep) ? { leakDetected: v } : { open: !v };
  },
};

/** SmokeCoAlarm (SmokeAlarm feature) → smoke: `smokeState` Normal (0) is no smoke; Warning and Critical are smoke. */
export const smokeCoAlarmMapping: ClusterMapping = {
  name: 'smoke-co-alarm',
  cluster: SmokeCoAlarm,
  describe: (ep) => ({ traits: ep.feature(SmokeCoAlarm, 'smokeAlarm') ? ['smoke'] : [] }),
  read: (ep) => {
    const v = ep.feature(SmokeCoAlarm, 'smokeAlarm') ? num(ep.read(SmokeCoAlarm, 'smokeState')) : undefined;
    return known({ smokeDetected: v === undefined ? undefined : v !== SmokeCoAlarm.AlarmState.Normal });
  },
};

/** PowerSource (Battery feature) → battery: `batPercentRemaining` counts half percents (0-200). */
export const powerSourceMapping: ClusterMapping = {
  name: 'power-source',
  cluster: PowerSource,
  describe: (ep) => ({ traits: ep.feature(PowerSource, 'battery') ? ['battery'] : [] }),
  read: (ep) => {
    const v = ep.feature(PowerSource, 'battery') ? num(ep.read(PowerSource, 'batPercentRemaining')) : undefined;
    return known({ batteryPct: v === undefined ? undefined : Math.round(v / 2) });
  },
};
