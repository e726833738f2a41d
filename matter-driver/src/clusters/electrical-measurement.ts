import { ElectricalEnergyMeasurement, ElectricalPowerMeasurement } from '@matter/main/clusters';
import { known, num, round, type ClusterMapping } from './mapping.ts';

/**
 * ElectricalPowerMeasurement (+ ElectricalEnergyMeasurement) → powerMeter: `activePower` in mW as W, the
 * cumulative imported energy in mWh as kWh.
 */
export const electricalMeasurementMapping: ClusterMapping = {
  name: 'electrical-measurement',
  cluster: ElectricalPowerMeasurement,
  reads: [ElectricalPowerMeasurement, ElectricalEnergyMeasurement],
  describe: () => ({ traits: ['powerMeter'] }),
  read: (ep) => {
    const mw = num(ep.read(ElectricalPowerMeasurement, 'activePower'));
    const imported = ep.has(ElectricalEnergyMeasurement) ? ep.read(ElectricalEnergyMeasurement, 'cumulativeEnergyImported') : undefined;
    const mwh = imported && typeof imported === 'object' ? num((imported as { energy?: unknown }).energy) : undefined;
    return known({
      powerW: mw === undefined ? undefined : round(mw / 1000, 3),
      energyKWh: mwh === undefined ? undefined : round(mwh / 1_000_000, 6),
    });
  },
};
