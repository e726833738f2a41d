/**
 * What a spoken attribute means for a given device: which state field "temperature" is on a fridge or an AC,
 * which field a bare number sets, which command adjusts a field and by how much a "bit" is.
 */
import { fieldsOf } from '@steward/device-adapters';
import type { DeviceView, Lang } from './contract.ts';
import { NAME_KEYS } from '../core/lang-tags.ts';
import type { Attr, Unit } from './lexicon/types.ts';

/** The relative command of each adjustable field. */
export const ADJUST: Readonly<Record<string, string>> = {
  brightness: 'adjustBrightness',
  volume: 'adjustVolume',
  targetC: 'adjustTargetTemperature',
  fridgeC: 'adjustFridgeTemperature',
  freezerC: 'adjustFreezerTemperature',
  position: 'adjustPosition',
  level: 'adjustLevel',
  channel: 'adjustChannel',
  colorTempK: 'adjustColorTemperature',
  fanSpeed: 'adjustFanSpeed',
};

/** What "a bit" means per field (a "lot" is twice that). */
export const STEP: Readonly<Record<string, number>> = {
  brightness: 20, volume: 10, targetC: 1, fridgeC: 1, freezerC: 1, position: 20, level: 1, channel: 1, colorTempK: 1000,
  fanSpeed: 1, chargeLimitPct: 10,
};

export const hasField = (d: DeviceView, field: string): boolean => field in fieldsOf(d);

export function rangeOf(d: DeviceView, field: string): readonly [number, number] | undefined {
  return fieldsOf(d)[field]?.range?.(d.attributes);
}

export function optionsOf(d: DeviceView, field: string): readonly string[] {
  return fieldsOf(d)[field]?.options?.(d.attributes) ?? [];
}

/** The field an attribute word names on this device, if it has one. */
export function fieldForAttr(d: DeviceView, attr: Attr, value?: number): string | undefined {
  const f = fieldsOf(d);
  switch (attr) {
    case 'brightness': return 'brightness' in f ? 'brightness' : undefined;
    case 'volume': return 'volume' in f ? 'volume' : undefined;
    case 'temperature':
      if ('targetC' in f) return 'targetC';
      if ('fridgeC' in f) return value !== undefined && value < 0 ? 'freezerC' : 'fridgeC';
      if ('temperatureC' in f) return 'temperatureC';
      return undefined;
    case 'fridge': return 'fridgeC' in f ? 'fridgeC' : undefined;
    case 'freezer': return 'freezerC' in f ? 'freezerC' : undefined;
    case 'channel': return 'channel' in f ? 'channel' : undefined;
    case 'position': return 'position' in f ? 'position' : undefined;
    case 'level': return 'level' in f ? 'level' : 'fanSpeed' in f ? 'fanSpeed' : undefined;
    case 'colorTemp': return 'colorTempK' in f ? 'colorTempK' : undefined;
    case 'chargeLimit': return 'chargeLimitPct' in f ? 'chargeLimitPct' : undefined;
    case 'battery': return 'chargeLimitPct' in f ? 'chargeLimitPct' : undefined;
    case 'fanSpeed': return 'fanSpeed' in f ? 'fanSpeed' : undefined;
    case 'color': return 'hue' in f ? 'hue' : undefined;
    case 'humidity': return 'humidityPct' in f ? 'humidityPct' : undefined;
    default: return undefined;
  }
}

/** The field a bare number or "up/down" changes ("set it to 30", "turn it up"). */
export function primaryField(d: DeviceView, value?: number): string | undefined {
  const f = fieldsOf(d);
  for (const field of ['brightness', 'targetC', 'position', 'volume', 'level', 'chargeLimitPct', 'fanSpeed', 'channel']) {
    if (field in f) return field;
  }
  if ('fridgeC' in f) return value !== undefined && value < 0 ? 'freezerC' : 'fridgeC';
  return undefined;
}

/** The field a number with a unit sets ("24 degrees" on a fridge is its fridge compartment). */
export function fieldForUnit(d: DeviceView, unit: Unit, value: number): string | undefined {
  const f = fieldsOf(d);
  switch (unit) {
    case 'degree':
      if ('targetC' in f) return 'targetC';
      if ('fridgeC' in f) return value < 0 ? 'freezerC' : 'fridgeC';
      if ('colorTempK' in f && value >= 1000) return 'colorTempK';
      return undefined;
    case 'kelvin': return 'colorTempK' in f ? 'colorTempK' : undefined;
    case 'channel': return 'channel' in f ? 'channel' : undefined;
    case 'level': return 'level' in f ? 'level' : 'fanSpeed' in f ? 'fanSpeed' : undefined;
    case 'percent':
      for (const field of ['brightness', 'position', 'volume', 'chargeLimitPct']) if (field in f) return field;
      return undefined;
    default: return undefined;
  }
}

/** The name to say for a device: its first name in the language (zh-TW: zh-TW, zh-Hant, then zh), else in English. */
export function nameOf(names: Record<string, string[]>, lang: Lang, fallback: string): string {
  for (const key of NAME_KEYS[lang] ?? [lang]) {
    const n = names[key]?.[0];
    if (n !== undefined) return n;
  }
  return names.en?.[0] ?? fallback;
}

export const deviceName = (d: DeviceView, lang: Lang): string => nameOf(d.names, lang, d.id.replace(/_/g, ' '));
