/**
 * Which devices a clause is about: named devices (re-read in a named area: "卧室的空调"), device words narrowed
 * by area, by "all", by the speaker's area or by what the conversation is about; areas alone; or, with nothing
 * named, the devices of the previous clause or turn.
 */
import { deviceTypeSpec, type DeviceType } from '@steward/device-adapters';
import type { DeviceView } from './contract.ts';
import type { Compiled } from './compile.ts';
import type { Frame } from './frame.ts';
import { emptyFrame } from './frame-slots.ts';

export interface Targets {
  devices: DeviceView[];
  /** how they were found: named devices are reported when they cannot do something; others are filtered */
  how: 'named' | 'type' | 'area' | 'context' | 'none';
  /** a device word the home has nothing for ("garage light") */
  unknown?: string;
  /** several devices fit a singular device word and nothing narrows them */
  ambiguous?: DeviceView[];
  /** a device word narrowed to areas that have none of them */
  noneInArea?: { type: DeviceType; areas: string[] };
  /** a device word said of a kind the home has none of ("is the TV on" with no TV) */
  noneInHome?: DeviceType;
  /** "两个灯", "both lamps" where the place has another number of them: said back, nothing done */
  miscount?: { count: number; devices: DeviceView[] };
  /** the other devices of the word in that place, when `devices` is the place's main one ("关灯" in the bedroom) */
  others?: DeviceView[];
}

export interface TargetContext {
  /** area of the speaking device */
  area?: string;
  /** devices of the previous clause in this utterance */
  previous?: readonly string[];
  /** devices the conversation was last about */
  memory?: readonly string[];
  /** devices the hub just offered in a question ("Which one do you mean: ...?") */
  asked?: readonly string[];
}

/** A robot works in other rooms than its dock's: "clean the bedroom" names where, not which (`DeviceTypeSpec.roams`). */
const roams = (d: DeviceView): boolean => !!deviceTypeSpec(d.type)?.roams;

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

export function resolveTargets(f: Frame, c: Compiled, ctx: TargetContext): Targets {
  const t = counted(f, excluding(f, c, resolveIncluded(f, c, ctx)));
  return t;
}

/** "把卧室两个灯都关了": a count said must be the number of devices found, or the hub asks rather than acting on others */
function counted(f: Frame, t: Targets): Targets {
  const count = f.allCount;
  if (count === undefined || f.question || t.how === 'named' || t.how === 'context' || !t.devices.length) return t;
  const found = t.ambiguous ?? t.devices;
  if (found.length === count) return { devices: found, how: t.how };
  return { devices: [], how: 'none', miscount: { count, devices: found } };
}

function excluding(f: Frame, c: Compiled, t: Targets): Targets {
  if (!f.except) return t;
  // "everything except the TV": the excepted devices are never touched
  const left = excludedBy(f.except, c);
  const keep = (ds: DeviceView[]) => ds.filter((d) => !left.has(d.id));
  const ambiguous = t.ambiguous && keep(t.ambiguous);
  const others = t.others && keep(t.others);
  return {
    ...t,
    devices: keep(t.devices),
    ...(ambiguous ? { ambiguous: ambiguous.length > 1 ? ambiguous : undefined } : {}),
    ...(others ? { others } : {}),
  };
}

function excludedBy(ex: NonNullable<Frame['except']>, c: Compiled): Set<string> {
  const out = new Set(ex.devs);
  if (ex.near) {
    // "除了床边的灯": the device word only says which one is by the furniture
    const f = { ...emptyFrame(''), types: ex.types.map((type) => ({ type, plural: false })), near: ex.near };
    for (const d of nearFurniture(f, c)?.devices ?? []) out.add(d.id);
    return out;
  }
  for (const d of c.deviceList) {
    const typeOk = ex.types.length ? ex.types.includes(d.type) : ex.areas.length > 0;
    const areaOk = ex.areas.length ? ex.areas.includes(d.area) : ex.types.length > 0;
    if (typeOk && areaOk) out.add(d.id);
  }
  return out;
}

/** "the kitchen one": the kinds of the devices just offered, or of those the conversation is about */
function kindsOfOne(f: Frame, c: Compiled, ctx: TargetContext): DeviceType[] {
  if (!f.one || f.types.length || f.devs.length) return [];
  for (const ids of [ctx.asked, ctx.previous, ctx.memory]) {
    const kinds = uniq((ids ?? []).map((id) => c.devices.get(id)?.type).filter((x): x is DeviceType => !!x));
    if (kinds.length) return kinds;
  }
  return [];
}

/**
 * "the lamp on the desk", "the light by the bed", 书桌上的灯: the devices of the word in the rooms such furniture is
 * in, and among several there those whose names carry the furniture's word ("bedside lamp", 床头灯).
 */
function nearFurniture(f: Frame, c: Compiled): Targets | undefined {
  const near = f.near;
  if (!near || f.devs.length || f.areas.length) return undefined;
  const types = uniq([...f.types.map((t) => t.type), ...f.typeHints]);
  let pool = c.deviceList.filter((d) => !types.length || types.includes(d.type));
  // the name without its room's name: "bedroom light" is not by the bed, "bedside lamp" is
  const bare = (d: DeviceView) => {
    const rooms = Object.values(c.areas.get(d.area)?.names ?? {}).flat().map((n) => n.toLowerCase());
    return Object.values(d.names).flat().map((n) => rooms.reduce((x, r) => x.replace(r, ''), n.toLowerCase()));
  };
  const named = (ds: DeviceView[]) => ds.filter((d) => bare(d).some((n) => n.includes(near.word)));
  const inRooms = pool.filter((d) => near.areas.includes(d.area));
  if (inRooms.length) pool = inRooms;
  else if (named(pool).length) pool = named(pool);
  else return undefined;
  if (pool.length > 1 && named(pool).length) pool = named(pool);
  return pool.length === 1 ? { devices: pool, how: 'named' } : { devices: pool, how: 'type', ambiguous: pool };
}

function resolveIncluded(f: Frame, c: Compiled, ctx: TargetContext): Targets {
  const all = c.deviceList;
  const byId = (ids: readonly string[]) => ids.map((id) => c.devices.get(id)).filter((d): d is DeviceView => !!d);
  const located = nearFurniture(f, c);
  if (located) return located;
  // "turn on the other one": a device of the same kind as the one the conversation is about, not that one
  if (f.pick === 0 && !f.devs.length && !f.types.length) {
    const about = ctx.previous?.length ? ctx.previous : (ctx.memory ?? []);
    const kinds = uniq(byId(about).map((d) => d.type));
    const others = all.filter((d) => kinds.includes(d.type) && !about.includes(d.id) && (!f.areas.length || f.areas.includes(d.area)));
    if (others.length) return { devices: others, how: 'type', ...(others.length > 1 ? { ambiguous: others } : {}) };
  }
  // a floor names its rooms
  const areas = uniq(f.areas.flatMap((a) => c.within.get(a) ?? [a]));
  if (f.unknownName && !f.areas.length) return { devices: [], how: 'none', unknown: f.unknownName };
  if (f.devs.length) {
    let named = byId(uniq(f.devs));
    if (areas.length) {
      // "卧室的空调", "车里空调": a device name said with another area means that area's device of the same kind
      const moved = named.map((d) => {
        if (areas.includes(d.area) || roams(d)) return [d];
        return all.filter((x) => x.type === d.type && areas.includes(x.area));
      });
      // "the TV in the kitchen" when the kitchen has none
      const missing = named.findIndex((_, i) => !moved[i]!.length);
      if (missing >= 0) return { devices: [], how: 'none', noneInArea: { type: named[missing]!.type, areas } };
      named = uniq(moved.flat());
    } else if (named.length > 1 && ctx.area) {
      const local = named.filter((d) => d.area === ctx.area);
      if (local.length) named = local;
    }
    return { devices: named, how: 'named' };
  }
  if (f.unknownName) return { devices: [], how: 'none', unknown: f.unknownName };
  let types = uniq(f.types.map((t) => t.type));
  // "除了卧室灯和床头灯，其他都关掉", "the rest": the other devices of the kinds excepted
  if (f.rest && f.except && !types.length && !f.typeHints.length) {
    types = uniq([...f.except.types, ...byId(f.except.devs).map((d) => d.type)]);
  }
  const plural = f.types.some((t) => t.plural) || (f.rest === true && types.length > 0) || f.allCount !== undefined;
  const ones = kindsOfOne(f, c, ctx);
  const wanted = types.length ? types : ones.length ? ones : uniq(f.typeHints);
  if (wanted.length) {
    const candidates = all.filter((d) => wanted.includes(d.type));
    if (!candidates.length && types.length) return { devices: [], how: 'none', noneInHome: types[0]! };
    const single = !f.all && !plural && !f.which;
    if (areas.length) {
      const local = candidates.filter((d) => areas.includes(d.area));
      const roaming = candidates.filter((d) => roams(d));
      if (!local.length && roaming.length) return { devices: roaming, how: 'type' };
      if (!local.length) return { devices: [], how: 'none', noneInArea: { type: wanted[0]!, areas } };
      return inPlace(local, single, c);
    }
    if (f.all || f.which) return { devices: candidates, how: 'type' };
    if (ctx.area) {
      const local = candidates.filter((d) => d.area === ctx.area);
      if (local.length) return inPlace(local, single, c);
    }
    if (plural) return { devices: candidates, how: 'type' };
    const remembered = candidates.filter((d) => ctx.previous?.includes(d.id) || ctx.memory?.includes(d.id));
    if (remembered.length) return { devices: remembered, how: 'type' };
    if (candidates.length === 1) return { devices: candidates, how: 'type' };
    if (!candidates.length) return { devices: [], how: 'none' };
    if (!plural) {
      const defaults = candidates.filter((d) => c.defaults.has(d.id));
      if (defaults.length === 1) return { devices: defaults, how: 'type' };
    }
    return { devices: candidates, how: 'type', ambiguous: candidates };
  }
  if (areas.length) return { devices: all.filter((d) => areas.includes(d.area)), how: 'area' };
  if (f.all) return { devices: [...all], how: 'area' };
  const previous = ctx.previous?.length ? ctx.previous : ctx.memory;
  if (previous?.length) return { devices: byId(previous), how: 'context' };
  return { devices: [], how: 'none' };
}

/** The devices of a word in one place: its main one for a singular word, with the others kept aside. */
function inPlace(local: DeviceView[], single: boolean, c: Compiled): Targets {
  if (!single) return { devices: local, how: 'type' };
  const devices = main(local, c);
  const others = local.filter((d) => !devices.includes(d));
  return { devices, how: 'type', ...(others.length ? { others } : {}) };
}

/** "the light in the living room" is the living room light when the area has one named so; else all of them. */
function main(local: DeviceView[], c: Compiled): DeviceView[] {
  if (local.length < 2) return local;
  const mains = local.filter((d) => c.areaMains.has(d.id));
  return mains.length === 1 ? mains : local;
}
