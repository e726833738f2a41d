import { BooleanState, OccupancySensing, PowerSource, RelativeHumidityMeasurement, TemperatureMeasurement } from '@matter/main/clusters';
import { known, num, round, type ClusterMapping } from './mapping.ts';

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

/** BooleanState → contact: a contact sensor's `stateValue` is true while the contact is made, so open is false. */
export const booleanStateMapping: ClusterMapping = {
  name: 'boolean-state',
  cluster: BooleanState,
  describe: () => ({ traits: ['contact'] }),
  read: (ep) => {
    const v = ep.read(BooleanState, 'stateValue');
    return known({ open: typeof v === 'boolean' ? !v : undefined });
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
