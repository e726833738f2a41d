import { Thermostat } from '@matter/main/clusters';
import { has, known, num, round, type ClusterMapping, type EndpointView } from './mapping.ts';

/** Matter SystemMode values and the thermostat trait's mode names */
const MODE_NAMES: Record<number, string> = { 0: 'off', 1: 'auto', 3: 'cool', 4: 'heat', 5: 'heat', 6: 'cool' };
const MODE_VALUES: Record<string, number> = { off: 0, auto: 1, cool: 3, heat: 4 };

/** temperatures travel in 0.01 °C */
export const centiToC = (v: number) => round(v / 100, 2);
export const cToCenti = (c: number) => Math.round(c * 100);

function modes(ep: EndpointView): string[] {
  return [
    'off',
    ...(ep.feature(Thermostat, 'heating') ? ['heat'] : []),
    ...(ep.feature(Thermostat, 'cooling') ? ['cool'] : []),
    ...(ep.feature(Thermostat, 'autoMode') ? ['auto'] : []),
  ];
}

/** the setpoint a mode steers: cooling when cooling, else heating when the device heats */
function setpointFor(ep: EndpointView, mode: unknown): 'occupiedCoolingSetpoint' | 'occupiedHeatingSetpoint' {
  if (mode === 'cool' || !ep.feature(Thermostat, 'heating')) return 'occupiedCoolingSetpoint';
  return 'occupiedHeatingSetpoint';
}

function limits(ep: EndpointView): { minC: number; maxC: number } {
  const pick = (heat: string, cool: string, fallbackHeat: number, fallbackCool: number) => [
    ...(ep.feature(Thermostat, 'heating') ? [num(ep.read(Thermostat, heat)) ?? fallbackHeat] : []),
    ...(ep.feature(Thermostat, 'cooling') ? [num(ep.read(Thermostat, cool)) ?? fallbackCool] : []),
  ];
  const mins = pick('absMinHeatSetpointLimit', 'absMinCoolSetpointLimit', 700, 1600);
  const maxs = pick('absMaxHeatSetpointLimit', 'absMaxCoolSetpointLimit', 3000, 3200);
  return { minC: centiToC(Math.min(...mins, 3200)), maxC: centiToC(Math.max(...maxs, 700)) };
}

/**
 * Thermostat → thermostat: `systemMode` as off/heat/cool/auto, the occupied setpoint of the mode as targetC,
 * `localTemperature` as ambientC (all in 0.01 °C); setpoint limits become minC/maxC.
 */
export const thermostatMapping: ClusterMapping = {
  name: 'thermostat',
  cluster: Thermostat,
  describe: (ep) => ({ traits: ['thermostat'], attributes: { modes: modes(ep), ...limits(ep) } }),
  read: (ep) => {
    const mode = MODE_NAMES[num(ep.read(Thermostat, 'systemMode')) ?? -1];
    const target = num(ep.read(Thermostat, setpointFor(ep, mode)));
    const ambient = num(ep.read(Thermostat, 'localTemperature'));
    return known({
      mode,
      targetC: target === undefined ? undefined : centiToC(target),
      ambientC: ambient === undefined ? undefined : centiToC(ambient),
    });
  },
  apply: async (ep, patch, state) => {
    if (has(patch, 'mode')) await ep.write(Thermostat, 'systemMode', MODE_VALUES[String(patch.mode)] ?? 1);
    if (has(patch, 'targetC')) await ep.write(Thermostat, setpointFor(ep, patch.mode ?? state.mode), cToCenti(Number(patch.targetC)));
  },
};
