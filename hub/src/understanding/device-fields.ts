/**
 * What a spoken attribute means for a given device: which state field "temperature" is on a fridge or an AC,
 * which field a bare number sets, which command adjusts a field and by how much a "bit" is.
 */
import { TRAITS, fieldsOf, type FieldSpec, type TraitSpec } from '@steward/device-adapters';
import type { DeviceView, Lang } from './contract.ts';
import { NAME_KEYS } from '../core/lang-tags.ts';
import type { Attr, Unit } from './lexicon/types.ts';

type Fields = ReturnType<typeof fieldsOf>;
type Field = Fields[string];

/** Every field any trait declares, by name: what "a bit" moves it by and its adjust command are the field's own. */
const ALL_FIELDS: ReadonlyMap<string, FieldSpec> = new Map(
  Object.values(TRAITS as Record<string, TraitSpec>).flatMap((t) => Object.entries(t.fields)),
);

/** The relative command of a field, if it has one (`FieldSpec.adjust`). */
export const adjustCommand = (field: string): string | undefined => ALL_FIELDS.get(field)?.adjust;

/** What "a bit" means for a field (`FieldSpec.step`; a "lot" is twice that). */
export const stepOf = (field: string): number => ALL_FIELDS.get(field)?.step ?? 1;

/** The unit a field is measured in (Homie units: `%`, `°C`, `W`), for replies. */
export const unitOf = (field: string): string | undefined => ALL_FIELDS.get(field)?.unit;

/** Aspects whose fields take a number ("freezer to -20" is not for a device without a freezer). */
export const NUMERIC_ASPECTS: ReadonlySet<string> = new Set(
  [...ALL_FIELDS.values()]
    .filter((f) => (f.datatype === 'integer' || f.datatype === 'float') && (f.rank !== undefined || f.adjust))
    .flatMap((f) => f.aspects ?? []),
);

const byRank = (a: [string, Field], b: [string, Field]) => (a[1].rank ?? Infinity) - (b[1].rank ?? Infinity);

/** Of some fields in rank order, the one meant for a number: the first that accepts it, else the first. */
function choose(sorted: readonly [string, Field][], value: number | undefined): string | undefined {
  return (sorted.find(([, f]) => !f.accepts || f.accepts(value)) ?? sorted[0])?.[0];
}

/**
 * A device's fields that pass a test, in rank order, kept per device, purpose and key: planning asks many times
 * per parse, so a lookup is two map reads.
 */
type Candidates = readonly [string, Field][];
const ASPECT = 0, UNIT = 1, COUNTED = 2, PRIMARY = 3;
const candidateCache = new WeakMap<object, Map<string, Candidates>[]>();
function candidates(d: DeviceView, purpose: number, key: string, test: (f: Field) => boolean): Candidates {
  let byPurpose = candidateCache.get(d);
  if (!byPurpose) candidateCache.set(d, (byPurpose = [new Map(), new Map(), new Map(), new Map()]));
  const byKey = byPurpose[purpose]!;
  let list = byKey.get(key);
  if (!list) byKey.set(key, (list = Object.entries(fieldsOf(d)).filter(([, f]) => test(f)).sort(byRank)));
  return list;
}

export const hasField = (d: DeviceView, field: string): boolean => field in fieldsOf(d);

export function rangeOf(d: DeviceView, field: string): readonly [number, number] | undefined {
  return fieldsOf(d)[field]?.range?.(d.attributes);
}

export function optionsOf(d: DeviceView, field: string): readonly string[] {
  return fieldsOf(d)[field]?.options?.(d.attributes) ?? [];
}

/** The field an attribute word names on this device, if it has one (`FieldSpec.aspects`). */
export function fieldForAttr(d: DeviceView, attr: Attr, value?: number): string | undefined {
  return choose(candidates(d, ASPECT, attr, (f) => !!f.aspects?.includes(attr)), value);
}

/** The field that reads an aspect the device has no writable field for, and which way (`FieldSpec.also`: "warmer" light). */
export function alsoFieldFor(d: DeviceView, attr: string): { field: string; sign: 1 | -1 } | undefined {
  for (const [field, f] of Object.entries(fieldsOf(d))) if (f.also?.aspect === attr) return { field, sign: f.also.sign };
  return undefined;
}

/** whether a field is only a weaker reading of the aspect said ("warmer" as a light's colour temperature) */
export const readsAlso = (d: DeviceView, field: string | undefined, attr: string | undefined): boolean =>
  field !== undefined && attr !== undefined && fieldsOf(d)[field]?.also?.aspect === attr;

/** The field a bare number or "up/down" changes ("set it to 30", "turn it up"): the lowest `FieldSpec.rank`. */
export function primaryField(d: DeviceView, value?: number): string | undefined {
  return choose(candidates(d, PRIMARY, '', (f) => f.rank !== undefined), value);
}

/** The Homie units a spoken unit stands for. */
const UNIT_FIELDS: Partial<Record<Unit, string>> = { degree: '°C', kelvin: 'K', percent: '%' };

/** The field a number with a unit sets ("24 degrees" on a fridge is its fridge compartment). */
export function fieldForUnit(d: DeviceView, unit: Unit, value: number): string | undefined {
  const writable = (f: Field) => !f.readOnly && !!f.set;
  const homie = UNIT_FIELDS[unit];
  if (homie) {
    const field = choose(candidates(d, UNIT, homie, (f) => writable(f) && f.unit === homie), value);
    // "6500 degrees" is a colour temperature
    if (!field && unit === 'degree' && value >= 1000) return choose(candidates(d, UNIT, 'K', (f) => writable(f) && f.unit === 'K'), value);
    return field;
  }
  // counted units ("channel 5", "3档") name the aspect of the same name
  return choose(candidates(d, COUNTED, unit, (f) => writable(f) && !!f.aspects?.includes(unit)), value);
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

/** The state id a field's value stands for (its first declared state with that value): a low-battery flag's true is `low`. */
export function stateOfValue(d: DeviceView, field: string, v: unknown): string | undefined {
  const states = fieldsOf(d)[field]?.states;
  if (!states || typeof v !== 'boolean') return undefined;
  return Object.entries(states).find(([, means]) => means === v)?.[0];
}
