import { defineTrait, NoAttributes, PERCENT, type FieldSpec, type HomieDatatype, type TraitSpec } from '../trait.ts';

/**
 * Sensors as data: a detected condition (a boolean field and the states people ask after) or a measured quantity
 * (a number and its unit) is one row here; each row becomes a read-only trait with no commands. Understanding
 * reads the field's `aspects` (what people name: "carbon monoxide", "air pressure") and `states` ("low",
 * "connected", "safe"); the words are the lexicons', keyed by the same ids. A new kind of sensor is a row, its
 * words per language, and the home's devices that carry it.
 */

/** A detector with no states of its own is `detected` when its field is true and `clear` when false ("is CO detected"). */
const DETECTOR_STATES = { detected: true, clear: false } as const;

interface Condition {
  summary: string;
  field: string;
  aspects: readonly string[];
  /** the states of this condition, with the value that means each (else detected/clear) */
  states?: Readonly<Record<string, boolean>>;
}

interface Quantity {
  summary: string;
  field: string;
  unit: string;
  aspects: readonly string[];
  datatype?: HomieDatatype;
  range?: readonly [number, number];
}

export const CONDITIONS = {
  carbonMonoxide: { summary: 'Carbon monoxide detector', field: 'coDetected', aspects: ['carbonMonoxide'] },
  gas: { summary: 'Gas leak detector', field: 'gasDetected', aspects: ['gas'] },
  batteryLow: { summary: 'Low-battery flag of a battery-powered device', field: 'batteryLow', aspects: ['battery'], states: { low: true, normal: false, charged: false } },
  batteryCharging: { summary: 'Whether a battery is charging', field: 'batteryCharging', aspects: ['battery'], states: { charging: true, notCharging: false } },
  cold: { summary: 'Too cold (a pipe about to freeze)', field: 'tooCold', aspects: [], states: { cold: true, detected: true, clear: false } },
  heat: { summary: 'Too hot (an overheating device)', field: 'tooHot', aspects: [], states: { hot: true, detected: true, clear: false } },
  connectivity: { summary: 'Connected to the network', field: 'connected', aspects: ['connectivity'], states: { connected: true, disconnected: false } },
  lockSensor: { summary: 'A lock sensor: unlocked when true', field: 'unlockedDetected', aspects: ['lock'], states: { unlocked: true, locked: false } },
  pluggedIn: { summary: 'Plugged in', field: 'pluggedIn', aspects: ['plug'], states: { pluggedIn: true, unplugged: false } },
  powerSensor: { summary: 'Mains power present', field: 'powered', aspects: ['mains'], states: { powered: true, unpowered: false } },
  presence: { summary: 'Someone or something is home', field: 'present', aspects: ['presence'], states: { home: true, away: false } },
  problem: { summary: 'A problem reported', field: 'problem', aspects: ['problem'], states: { problem: true, ok: false } },
  runningSensor: { summary: 'A machine running (sensed, not commanded)', field: 'runningDetected', aspects: ['status'], states: { running: true, stopped: false } },
  safety: { summary: 'Unsafe when true', field: 'unsafe', aspects: ['safety'], states: { unsafe: true, safe: false } },
  sound: { summary: 'Sound or noise detected', field: 'soundDetected', aspects: ['noise'] },
  tamper: { summary: 'Tampering detected', field: 'tampered', aspects: ['tamper'], states: { tampered: true, detected: true, clear: false } },
  update: { summary: 'A software update available', field: 'updateAvailable', aspects: ['update'], states: { available: true, upToDate: false } },
  vibration: { summary: 'Vibration detected', field: 'vibrating', aspects: ['vibration'], states: { vibrating: true, detected: true, clear: false } },
} as const satisfies Record<string, Condition>;

export const QUANTITIES = {
  carbonDioxide: { summary: 'CO₂ concentration', field: 'co2Ppm', unit: 'ppm', aspects: ['carbonDioxide'] },
  coLevel: { summary: 'Carbon monoxide concentration', field: 'coPpm', unit: 'ppm', aspects: ['carbonMonoxide'] },
  pressure: { summary: 'Pressure (air, tyre, water)', field: 'pressureHPa', unit: 'hPa', aspects: ['pressure'] },
  illuminance: { summary: 'Illuminance', field: 'illuminanceLx', unit: 'lx', aspects: ['illuminance'] },
  voltage: { summary: 'Voltage', field: 'voltageV', unit: 'V', aspects: ['voltage'] },
  current: { summary: 'Electric current', field: 'currentA', unit: 'A', aspects: ['current'] },
  apparentPower: { summary: 'Apparent power', field: 'apparentPowerVA', unit: 'VA', aspects: ['powerDraw'] },
  reactivePower: { summary: 'Reactive power', field: 'reactivePowerVar', unit: 'var', aspects: ['powerDraw'] },
  powerFactor: { summary: 'Power factor', field: 'powerFactor', unit: '', aspects: ['powerFactor'] },
  energyMeter: { summary: 'Energy produced, used or stored', field: 'energyKWh', unit: 'kWh', aspects: ['energy'] },
  frequency: { summary: 'Mains frequency', field: 'frequencyHz', unit: 'Hz', aspects: ['frequency'] },
  pm10: { summary: 'Coarse particles (PM10)', field: 'pm10', unit: 'µg/m³', aspects: ['pm10'], datatype: 'integer' },
  pm1: { summary: 'Ultrafine particles (PM1)', field: 'pm1', unit: 'µg/m³', aspects: ['pm1'], datatype: 'integer' },
  aqi: { summary: 'Air quality index', field: 'aqi', unit: '', aspects: ['airQuality'], datatype: 'integer' },
  ozone: { summary: 'Ozone concentration', field: 'ozone', unit: 'µg/m³', aspects: ['ozone'] },
  nitrogenDioxide: { summary: 'NO₂ concentration', field: 'no2', unit: 'µg/m³', aspects: ['nitrogenDioxide'] },
  sulphurDioxide: { summary: 'SO₂ concentration', field: 'so2', unit: 'µg/m³', aspects: ['sulphurDioxide'] },
  voc: { summary: 'Volatile organic compounds', field: 'voc', unit: 'µg/m³', aspects: ['voc'] },
  soundLevel: { summary: 'Sound pressure', field: 'soundDb', unit: 'dB', aspects: ['noise'] },
  signal: { summary: 'Signal strength', field: 'signalDbm', unit: 'dBm', aspects: ['signal'] },
  speed: { summary: 'Speed', field: 'speedKmh', unit: 'km/h', aspects: ['speed'] },
  windSpeed: { summary: 'Wind speed', field: 'windKmh', unit: 'km/h', aspects: ['speed'] },
  distance: { summary: 'Distance, mileage', field: 'distanceKm', unit: 'km', aspects: ['distance'] },
  weight: { summary: 'Weight', field: 'weightKg', unit: 'kg', aspects: ['weight'] },
  waterVolume: { summary: 'Volume of water used or stored', field: 'waterL', unit: 'L', aspects: ['water'] },
  gasVolume: { summary: 'Gas used', field: 'gasM3', unit: 'm³', aspects: ['gas'] },
  rain: { summary: 'Rainfall', field: 'rainMm', unit: 'mm', aspects: ['rain'] },
  soilMoisture: { summary: 'Moisture', field: 'moisturePct', unit: '%', aspects: ['moisture'], range: PERCENT },
  irradiance: { summary: 'Solar irradiance', field: 'irradianceWm2', unit: 'W/m²', aspects: ['irradiance'] },
  nitrogenMonoxide: { summary: 'NO concentration', field: 'noUgm3', unit: 'µg/m³', aspects: ['nitrogenMonoxide'] },
  nitrousOxide: { summary: 'N₂O concentration', field: 'n2o', unit: 'µg/m³', aspects: ['nitrousOxide'] },
  rainRate: { summary: 'Rainfall intensity', field: 'rainMmH', unit: 'mm/h', aspects: ['rainRate'] },
  dataRate: { summary: 'Data rate (a download, a link)', field: 'dataRateMBs', unit: 'MB/s', aspects: ['dataRate'] },
  dataSize: { summary: 'Size of stored data', field: 'dataSizeKB', unit: 'kB', aspects: ['dataSize'] },
  duration: { summary: 'A duration (a program, a run)', field: 'durationMin', unit: 'min', aspects: ['duration'] },
  cost: { summary: 'A price or a cost', field: 'cost', unit: '', aspects: ['cost'] },
} as const satisfies Record<string, Quantity>;

type ConditionId = keyof typeof CONDITIONS;
type QuantityId = keyof typeof QUANTITIES;

function conditionTrait(id: string, c: Condition): TraitSpec {
  const field: FieldSpec = { datatype: 'boolean', readOnly: true, aspects: c.aspects, states: c.states ?? DETECTOR_STATES };
  return defineTrait({ id, summary: c.summary, attributes: NoAttributes, fields: { [c.field]: field }, commands: {} });
}

function quantityTrait(id: string, q: Quantity): TraitSpec {
  const range = q.range;
  const field: FieldSpec = { datatype: q.datatype ?? 'float', unit: q.unit, readOnly: true, aspects: q.aspects, ...(range ? { range: () => range } : {}) };
  return defineTrait({ id, summary: q.summary, attributes: NoAttributes, fields: { [q.field]: field }, commands: {} });
}

export const CONDITION_TRAITS = Object.fromEntries(Object.entries(CONDITIONS).map(([id, c]) => [id, conditionTrait(id, c)])) as Record<ConditionId, TraitSpec>;
export const QUANTITY_TRAITS = Object.fromEntries(Object.entries(QUANTITIES).map(([id, q]) => [id, quantityTrait(id, q)])) as Record<QuantityId, TraitSpec>;
