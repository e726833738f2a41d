import { ColorControl } from '@matter/main/clusters';
import type { TraitId } from '@steward/device-adapters';
import { clampTo, has, known, num, type ClusterMapping } from './mapping.ts';

const MAX = 254;
/** colour commands work while the light is off too (the Options attribute would otherwise drop them) */
const EVEN_IF_OFF = { optionsMask: { executeIfOff: true }, optionsOverride: { executeIfOff: true } };

export const hueToDegrees = (hue: number) => Math.round((hue * 360) / MAX) % 360;
export const degreesToHue = (deg: number) => clampTo(Math.round((deg * MAX) / 360), 0, MAX);
export const satToPercent = (sat: number) => Math.round((sat * 100) / MAX);
export const percentToSat = (pct: number) => clampTo(Math.round((pct * MAX) / 100), 0, MAX);
/** mireds (micro reciprocal degrees) and kelvin are each other's reciprocal, scaled by a million */
export const miredsToKelvin = (mireds: number) => Math.round(1_000_000 / mireds);
export const kelvinToMireds = (kelvin: number) => Math.round(1_000_000 / kelvin);

/**
 * ColorControl → color (HueSaturation feature: hue 0-254 as 0-360°, saturation 0-254 as %) and colorTemperature
 * (ColorTemperature feature: mireds as kelvin; the physical mireds range becomes the minK/maxK attributes).
 */
export const colorControlMapping: ClusterMapping = {
  name: 'color-control',
  cluster: ColorControl,
  describe: (ep) => {
    const traits: TraitId[] = [];
    if (ep.feature(ColorControl, 'hueSaturation')) traits.push('color');
    if (!ep.feature(ColorControl, 'colorTemperature')) return { traits };
    traits.push('colorTemperature');
    const minMireds = num(ep.read(ColorControl, 'colorTempPhysicalMinMireds'));
    const maxMireds = num(ep.read(ColorControl, 'colorTempPhysicalMaxMireds'));
    return {
      traits,
      attributes: known({
        minK: maxMireds ? miredsToKelvin(maxMireds) : undefined,
        maxK: minMireds ? miredsToKelvin(minMireds) : undefined,
      }),
    };
  },
  read: (ep) => {
    const hs = ep.feature(ColorControl, 'hueSaturation');
    const ct = ep.feature(ColorControl, 'colorTemperature');
    const hue = hs ? num(ep.read(ColorControl, 'currentHue')) : undefined;
    const sat = hs ? num(ep.read(ColorControl, 'currentSaturation')) : undefined;
    const mireds = ct ? num(ep.read(ColorControl, 'colorTemperatureMireds')) : undefined;
    return known({
      hue: hue === undefined ? undefined : hueToDegrees(hue),
      saturation: sat === undefined ? undefined : satToPercent(sat),
      colorTempK: mireds ? miredsToKelvin(mireds) : undefined,
    });
  },
  apply: async (ep, patch, state) => {
    if (has(patch, 'hue') || has(patch, 'saturation')) {
      const hue = Number(patch.hue ?? state.hue ?? 0);
      const saturation = Number(patch.saturation ?? state.saturation ?? 100);
      await ep.invoke(ColorControl, 'moveToHueAndSaturation', {
        hue: degreesToHue(hue),
        saturation: percentToSat(saturation),
        transitionTime: 0,
        ...EVEN_IF_OFF,
      });
    }
    if (has(patch, 'colorTempK')) {
      const min = num(ep.read(ColorControl, 'colorTempPhysicalMinMireds')) ?? 1;
      const max = num(ep.read(ColorControl, 'colorTempPhysicalMaxMireds')) ?? 0xfeff;
      await ep.invoke(ColorControl, 'moveToColorTemperature', {
        colorTemperatureMireds: clampTo(kelvinToMireds(Number(patch.colorTempK)), min, max),
        transitionTime: 0,
        ...EVEN_IF_OFF,
      });
    }
  },
};
