/**
 * Home Assistant's test fixtures (../shared/benchmarks/ha-intents/fixtures-<lang>.json) as a home the engine can
 * read: HA entities (domain, device class, area, state) become devices of our types with our traits, HA areas
 * become areas. Entities of kinds the hub has no type for (most sensors, people, weather...) are
 * left out and counted: sentences about them are misses, and the list says which kinds the engine lacks.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CONDITIONS, QUANTITIES, StewardError, type DeviceType, type State, type TraitId, type Area, type Scene } from '@steward/device-adapters';
import type { DeviceView, HomeView, Lang } from '../understanding/contract.ts';

// slot-combination fixtures give areas by name only
const HaAreaSchema = z.object({
  id: z.string().min(1).nullable(),
  name: z.string().min(1),
  names: z.array(z.string().min(1)).min(1),
  /** the HA id of the floor the area is on */
  floor: z.string().min(1).nullable().optional(),
});
const HaEntitySchema = z.object({
  // slot-combination fixtures leave ids out: the loader makes one from the domain and the name
  id: z.string().min(1).nullable(),
  domain: z.string().min(1),
  name: z.string().min(1),
  names: z.array(z.string().min(1)).min(1),
  area: z.string().nullable(),
  state: z.union([z.string(), z.number(), z.null()]),
  attributes: z.record(z.string(), z.unknown()).default({}),
});
const HaPartSchema = z.object({
  floors: z.array(HaAreaSchema).default([]),
  areas: z.array(HaAreaSchema),
  entities: z.array(HaEntitySchema),
});
export const HaFixturesSchema = HaPartSchema.extend({
  lang: z.string().min(1),
  per_file: z.record(z.string(), HaPartSchema).default({}),
});
export type HaPart = z.infer<typeof HaPartSchema>;
export type HaFixtures = z.infer<typeof HaFixturesSchema>;
export type HaEntity = z.infer<typeof HaEntitySchema>;

/** Reads and validates a fixtures file; a bad file is one StewardError naming every problem with its path. */
export function loadHaFixtures(path: string): HaFixtures {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new StewardError('BAD_REQUEST', `${path}: cannot read HA fixtures: ${(err as Error).message}`);
  }
  return parseHaFixtures(raw, path);
}

export function parseHaFixtures(raw: unknown, where = 'HA fixtures'): HaFixtures {
  const r = HaFixturesSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new StewardError('BAD_REQUEST', `${where}: bad HA fixtures: ${problems}`);
  }
  return r.data;
}

/** What a device of the bench home was in Home Assistant: its slot values. */
export interface HaOrigin {
  entityId: string;
  domain: string;
  deviceClass?: string;
  name: string;
  /** every spoken name: the scorer accepts any of them */
  names: string[];
}

export interface HaHome {
  view: HomeView;
  lang: Lang;
  /** our device id -> the HA entity it stands for */
  origin: Map<string, HaOrigin>;
  /** our area id -> HA area name (floors too: see `floors`) */
  areaName: Map<string, string>;
  /** our area ids that are HA floors: a sentence naming one fills HA's `floor` slot */
  floors: Set<string>;
  /** HA area name (any spelling, lower case) -> our area id, for `context.area` */
  areaByName: Map<string, string>;
  /** our area id for an HA area id or a name spelt like one ("Living Room" -> living_room) */
  areaById(idOrName: string): string | undefined;
  /** scene id -> HA name */
  sceneName: Map<string, string>;
  /** scene id -> HA domain: scene or script */
  sceneDomain: Map<string, string>;
  /** HA kinds left out ("switch", "cover:garage", "sensor:power", ...) with their counts */
  skipped: Map<string, number>;
}

interface Kind {
  type: DeviceType;
  traits: TraitId[];
  attributes: Record<string, unknown>;
  state: State;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** HA's binary-sensor classes as our detected conditions (device-adapters traits/readings.ts); HA's `on` is the field true */
const HA_CONDITION: Partial<Record<string, keyof typeof CONDITIONS>> = {
  battery: 'batteryLow', battery_charging: 'batteryCharging', carbon_monoxide: 'carbonMonoxide', cold: 'cold', connectivity: 'connectivity',
  gas: 'gas', heat: 'heat', lock: 'lockSensor', plug: 'pluggedIn', power: 'powerSensor', presence: 'presence', problem: 'problem',
  running: 'runningSensor', safety: 'safety', sound: 'sound', tamper: 'tamper', update: 'update', vibration: 'vibration',
};
/** HA's sensor classes as our measured quantities; a date has no row yet */
const HA_QUANTITY: Partial<Record<string, keyof typeof QUANTITIES>> = {
  carbon_dioxide: 'carbonDioxide', carbon_monoxide: 'coLevel', pressure: 'pressure', atmospheric_pressure: 'pressure', illuminance: 'illuminance',
  voltage: 'voltage', current: 'current', apparent_power: 'apparentPower', reactive_power: 'reactivePower', power_factor: 'powerFactor',
  energy: 'energyMeter', energy_storage: 'energyMeter', frequency: 'frequency', pm10: 'pm10', pm1: 'pm1', aqi: 'aqi', ozone: 'ozone',
  nitrogen_dioxide: 'nitrogenDioxide', sulphur_dioxide: 'sulphurDioxide', volatile_organic_compounds: 'voc', sound_pressure: 'soundLevel',
  signal_strength: 'signal', speed: 'speed', wind_speed: 'windSpeed', distance: 'distance', weight: 'weight', volume: 'waterVolume',
  volume_storage: 'waterVolume', water: 'waterVolume', gas: 'gasVolume', precipitation: 'rain', moisture: 'soilMoisture', irradiance: 'irradiance',
  nitrogen_monoxide: 'nitrogenMonoxide', nitrous_oxide: 'nitrousOxide', precipitation_intensity: 'rainRate', data_rate: 'dataRate',
  data_size: 'dataSize', duration: 'duration', monetary: 'cost', volatile_organic_compounds_parts: 'voc',
};
/** HA units to the unit of our field */
const UNIT_SCALE: Record<string, number> = { bar: 1000, kPa: 10, Wh: 0.001 };

/** The device type and state for an HA entity, or undefined when the hub has no type for its kind. */
function kindOf(e: HaEntity): Kind | undefined {
  const dc = typeof e.attributes.device_class === 'string' ? e.attributes.device_class : undefined;
  const s = e.state === null ? '' : String(e.state);
  switch (e.domain) {
    case 'light':
      return {
        type: 'light',
        traits: ['onOff', 'brightness', 'colorTemperature', 'color'],
        attributes: { minK: 2000, maxK: 6500 },
        state: { on: s === 'on', brightness: num(e.attributes.brightness) ?? 100, colorTempK: 4000, hue: 0, saturation: 0 },
      };
    // a switch turns something on and off: our plug
    case 'switch':
      return { type: 'plug', traits: ['onOff'], attributes: {}, state: { on: s === 'on' } };
    case 'fan':
      return { type: 'fan', traits: ['onOff', 'fanSpeed'], attributes: { fanSpeeds: ['low', 'medium', 'high'] }, state: { on: s === 'on', fanSpeed: 'low' } };
    case 'cover': {
      const type: DeviceType | undefined = dc === 'window' ? 'window' : dc === 'garage' ? 'garage_door' : !dc || ['curtain', 'shade', 'blind', 'shutter', 'awning'].includes(dc) ? 'curtain' : undefined;
      if (!type) return undefined;
      return { type, traits: ['position'], attributes: {}, state: { position: num(e.attributes.position) ?? (s === 'open' ? 100 : 0) } };
    }
    case 'valve':
      return { type: 'valve', traits: ['position'], attributes: {}, state: { position: num(e.attributes.position) ?? (s === 'open' ? 100 : 0) } };
    case 'climate': {
      const ambient = num(e.attributes.current_temperature) ?? 20;
      // a wide range: the bench measures understanding, not the device's limits
      return {
        type: 'air_conditioner',
        traits: ['onOff', 'thermostat', 'fanSpeed'],
        attributes: { modes: ['cool', 'heat', 'dry', 'fan', 'auto'], minC: -50, maxC: 100, fanSpeeds: ['auto', 'low', 'medium', 'high'] },
        state: { on: s !== 'off' && s !== '', mode: ['cool', 'heat', 'dry', 'auto'].includes(s) ? s : 'auto', targetC: num(e.attributes.temperature) ?? ambient, ambientC: ambient, fanSpeed: 'auto' },
      };
    }
    case 'lock':
      return { type: 'lock', traits: ['lock'], attributes: {}, state: { locked: s !== 'unlocked' && s !== 'open' } };
    case 'media_player': {
      const playback = s === 'playing' ? 'playing' : s === 'paused' ? 'paused' : 'stopped';
      const volume = num(e.attributes.volume_level) ?? 50;
      return dc === 'tv'
        ? {
            type: 'tv',
            // a TV changes channel: HA's next and previous
            traits: ['onOff', 'volume', 'playback', 'channel'],
            attributes: { playbackStates: ['playing', 'paused', 'stopped'] },
            state: { on: s !== 'off', volume, muted: false, playback, channel: 1 },
          }
        : // HA's media players without a class include TVs (the fixtures' "TV"): channels step like tracks
          {
            type: 'speaker',
            traits: ['onOff', 'volume', 'playback', 'channel'],
            attributes: { playbackStates: ['playing', 'paused', 'stopped'] },
            state: { on: s !== 'off', volume, muted: false, playback, channel: 1 },
          };
    }
    case 'vacuum':
      return { type: 'vacuum', traits: ['vacuum'], attributes: {}, state: { status: s === 'cleaning' ? 'cleaning' : s === 'returning' ? 'returning' : 'docked', batteryPct: 100 } };
    case 'sensor': {
      const unit = typeof e.attributes.unit_of_measurement === 'string' ? e.attributes.unit_of_measurement : '';
      const v = num(e.state);
      if (v === undefined) return undefined;
      const q = dc ? HA_QUANTITY[dc] : undefined;
      if (q) return { type: 'sensor', traits: [q], attributes: {}, state: { [QUANTITIES[q].field]: v * (UNIT_SCALE[unit] ?? 1) } };
      if (dc === 'temperature' || (!dc && /°[CF]/.test(unit))) return { type: 'sensor', traits: ['temperature'], attributes: {}, state: { temperatureC: v } };
      if (dc === 'humidity') return { type: 'sensor', traits: ['humidity'], attributes: {}, state: { humidityPct: v } };
      if (dc === 'battery') return { type: 'sensor', traits: ['battery'], attributes: {}, state: { batteryPct: Math.round(v) } };
      if (dc === 'pm25') return { type: 'sensor', traits: ['airQuality'], attributes: {}, state: { pm25: Math.round(v) } };
      if (dc === 'power') return { type: 'plug', traits: ['powerMeter'], attributes: {}, state: { powerW: v } };
      return undefined;
    }
    case 'binary_sensor': {
      const cond = dc ? HA_CONDITION[dc] : undefined;
      if (cond) return { type: 'sensor', traits: [cond], attributes: {}, state: { [CONDITIONS[cond].field]: s === 'on' } };
      if (dc && ['door', 'window', 'opening', 'garage_door'].includes(dc)) return { type: 'sensor', traits: ['contact'], attributes: {}, state: { open: s === 'on' } };
      if (dc === 'smoke') return { type: 'sensor', traits: ['smoke'], attributes: {}, state: { smokeDetected: s === 'on' } };
      if (dc === 'moisture') return { type: 'sensor', traits: ['leak'], attributes: {}, state: { leakDetected: s === 'on' } };
      if (dc && ['motion', 'occupancy'].includes(dc)) return { type: 'sensor', traits: ['motion'], attributes: {}, state: { occupied: s === 'on' } };
      return undefined;
    }
    default:
      return undefined;
  }
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'x';

/** The satellite's own area in slot-combination records: a placeholder HA gives no name to speak. */
export const CONTEXT_AREA_PLACEHOLDER = '__context_area__';

/**
 * A HomeView over one fixture set. `lang` is the engine's language tag the names are filed under (HA's zh-cn,
 * zh-tw and zh-hk are zh, zh-TW and zh-HK).
 */
export function haHome(part: HaPart, lang: Lang): HaHome {
  const areas: Area[] = [];
  const areaName = new Map<string, string>();
  const areaByName = new Map<string, string>();
  const areaIdOf = new Map<string, string>();
  const floors = new Set<string>();
  const addArea = (haId: string, name: string, names: string[], floor?: string) => {
    let id = slug(haId);
    while (areaName.has(id)) id = `${id}_`;
    areaIdOf.set(haId, id);
    areas.push({ id, names: names.length ? { [lang]: names } : {}, ...(floor ? { floor } : {}) });
    areaName.set(id, name);
    for (const n of [name, ...names]) areaByName.set(n.toLowerCase(), id);
  };
  for (const fl of part.floors) {
    addArea(fl.id ?? fl.name, fl.name, fl.names);
    floors.add(areaIdOf.get(fl.id ?? fl.name)!);
  }
  for (const a of part.areas) addArea(a.id ?? a.name, a.name, a.names, a.floor ? areaIdOf.get(a.floor) : undefined);
  addArea(CONTEXT_AREA_PLACEHOLDER, CONTEXT_AREA_PLACEHOLDER, []);
  // devices without an area live somewhere the speaker never names
  const NOWHERE = 'nowhere';
  areas.push({ id: NOWHERE, names: {} });

  const devices: DeviceView[] = [];
  const states = new Map<string, State>();
  const origin = new Map<string, HaOrigin>();
  const skipped = new Map<string, number>();
  const scenes: Scene[] = [];
  const sceneName = new Map<string, string>();
  const sceneDomain = new Map<string, string>();
  const byEntity = new Map<string, DeviceView>();
  for (const e of part.entities) {
    const entityId = e.id ?? `${e.domain}.${slug(e.name)}`;
    const dc = typeof e.attributes.device_class === 'string' ? e.attributes.device_class : undefined;
    // a script runs like a scene: "运行私密模式"
    if (e.domain === 'scene' || e.domain === 'script') {
      const id = slug(entityId.replace('.', '_'));
      scenes.push({ id, names: { [lang]: e.names }, states: {} });
      sceneName.set(id, e.name);
      sceneDomain.set(id, e.domain);
      continue;
    }
    // the zh-cn fixtures list one thermostat twice under two names: one device with both
    const same = byEntity.get(entityId);
    if (same) {
      same.names[lang] = [...new Set([...(same.names[lang] ?? []), ...e.names])];
      origin.get(same.id)!.names.push(...e.names);
      continue;
    }
    const kind = kindOf(e);
    if (!kind) {
      const key = dc ? `${e.domain}:${dc}` : e.domain;
      skipped.set(key, (skipped.get(key) ?? 0) + 1);
      continue;
    }
    const id = slug(entityId.replace('.', '_'));
    const d: DeviceView = {
      id,
      type: kind.type,
      area: (e.area && areaIdOf.get(e.area)) || NOWHERE,
      names: { [lang]: [...e.names] },
      traits: kind.traits,
      attributes: kind.attributes,
      confirm: [],
    };
    devices.push(d);
    byEntity.set(entityId, d);
    states.set(id, kind.state);
    origin.set(id, { entityId, domain: e.domain, ...(dc ? { deviceClass: dc } : {}), name: e.name, names: [...e.names] });
  }
  const view: HomeView = {
    version: 1,
    areas: () => areas,
    devices: () => devices,
    scenes: () => scenes,
    state: (id) => states.get(id),
  };
  const areaById = (x: string) => areaIdOf.get(x) ?? (areaName.has(slug(x)) ? slug(x) : undefined);
  return { view, lang, origin, areaName, floors, areaByName, areaById, sceneName, sceneDomain, skipped };
}
