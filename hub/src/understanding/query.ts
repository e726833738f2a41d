/**
 * Questions about state (HassGetState, HassClimateGetTemperature): which fields answer the question for each
 * device, rooms' measured temperature, "which lights are on". Values come from HomeView.state, so answers follow
 * the live home.
 */
import { TRAITS, fieldsOf, type State, type TraitSpec, type Value } from '@steward/device-adapters';
import { isAtWork, powerOf } from './acts.ts';
import type { DeviceView, HomeView } from './contract.ts';
import type { Compiled } from './compile.ts';
import type { Frame } from './frame.ts';
import type { Attr } from './lexicon/types.ts';
import type { Targets } from './targets.ts';
import type { Answer } from './replies/types.ts';
import { effectiveActs } from './plan.ts';

export interface QueryResult {
  answers: Answer[];
  /** what the conversation is now about */
  devices: string[];
}

/** What is asked: a question word's attribute, a named attribute, or the state a verb names ("is it on"). */
export function askedAttr(f: Frame): Attr | undefined {
  // "冷冻室多少度": the compartment named is more precise than "how many degrees"
  const part = f.attrs.find((a) => a === 'fridge' || a === 'freezer');
  if (part && (!f.qattrs[0] || f.qattrs[0] === 'temperature')) return part;
  if (f.qattrs[0]) return f.qattrs[0];
  if (f.attrs[0]) return f.attrs[0];
  const acts = effectiveActs(f);
  for (const a of acts) {
    if (a === 'on' || a === 'off' || a === 'start' || a === 'stop') return 'power';
    if (a === 'open' || a === 'close') return 'open';
    if (a === 'lock' || a === 'unlock') return 'lock';
    if (a === 'play' || a === 'pause') return 'playback';
    if (a === 'clean' || a === 'dock') return 'status';
    if (a === 'charge') return 'battery';
    if (a === 'navigate') return 'destination';
  }
  return undefined;
}

/** questions one field answers: "is it on" by the first field that says so, not every such field */
const ONE_FIELD: ReadonlySet<string> = new Set(['power', 'open']);

/** the fields of a device that answer `attr` (`FieldSpec.answers`, then `alsoAnswers`), in their declared order */
function answering(d: DeviceView, attr: string): string[] {
  const out: [string, number][] = [];
  for (const [name, f] of Object.entries(fieldsOf(d))) {
    const order = f.answers?.[attr] ?? f.alsoAnswers?.[attr];
    if (order !== undefined) out.push([name, order]);
  }
  return out.sort((a, b) => a[1] - b[1]).map(([name]) => name);
}

/** aspects some trait's fields declare as answered: for the others, a field's `aspects` say which fields report them */
const ANSWERED: ReadonlySet<string> = new Set(
  Object.values(TRAITS).flatMap((t) => Object.values((t as TraitSpec).fields).flatMap((f) => [...Object.keys(f.answers ?? {}), ...Object.keys(f.alsoAnswers ?? {})])),
);

/** The fields that answer `attr` for this device, or a summary of it. */
export function fieldsFor(d: DeviceView, attr: Attr | undefined): string[] {
  const has = fieldsOf(d);
  let fs: string[] = [];
  if (attr) {
    // what sensors and meters report: the fields that declare the aspect (`FieldSpec.aspects`)
    fs = ANSWERED.has(attr) ? answering(d, attr) : byAspect(d, attr);
    if (ONE_FIELD.has(attr)) fs = fs.slice(0, 1);
  }
  if (fs.length) return fs;
  return Object.keys(has).filter((f) => !has[f]!.hidden);
}

function describe(d: DeviceView, state: State | undefined, fields: string[], attr?: Attr): Answer {
  // "is the washer done?", 洗衣机还要多久, 车还要多久充满: the minutes left the device reports, from the live state
  const run = attr === 'remaining' && state ? progressOf(d, state) : undefined;
  if (run && state) {
    const { p, minutes } = run;
    const level = p.level ? state[p.level] : undefined;
    const limit = p.limit ? state[p.limit] : undefined;
    return {
      k: 'remaining', device: d, running: state[p.running.field] === p.running.value, minutes, ...(p.activity ? { activity: p.activity } : {}),
      ...(typeof limit === 'number' ? { limitPct: limit } : {}), ...(typeof level === 'number' ? { batteryPct: level } : {}),
    };
  }
  const out: [string, Value][] = [];
  for (const f of fields) {
    const v = state?.[f];
    if (v === undefined) continue;
    // brightness of a light that is off says nothing
    if (f === 'brightness' && state?.on === false) continue;
    out.push([f, v]);
  }
  return { k: 'fields', device: d, fields: out };
}

/** the fields that measure a room's `attr` (`FieldSpec.room`), by precedence */
function roomFields(d: DeviceView, attr: string): [string, number][] {
  return Object.entries(fieldsOf(d)).flatMap(([name, f]): [string, number][] => (f.room?.[attr] === undefined ? [] : [[name, f.room[attr]]]));
}

/** "It's 29 °C in the living room": a sensor in the area, else a thermostat's measured temperature. */
function roomAnswer(area: string, attr: Attr, c: Compiled, view: HomeView): Answer | undefined {
  const a = c.areas.get(area);
  if (!a) return undefined;
  let best: [number, number] | undefined;
  for (const d of c.deviceList) {
    if (d.area !== area) continue;
    for (const [field, order] of roomFields(d, attr)) {
      const v = view.state(d.id)?.[field];
      if (typeof v === 'number' && (!best || order < best[1])) best = [v, order];
    }
  }
  if (!best) return undefined;
  return attr === 'humidity' ? { k: 'room', area: a, humidityPct: best[0] } : { k: 'room', area: a, temperatureC: best[0] };
}

/** at work by what its traits say (on, playing, running, cleaning, mowing), or open: a gradual field off its lowest */
function isActive(d: DeviceView, s: State | undefined): boolean {
  if (!s) return false;
  if (isAtWork(d, s)) return true;
  return Object.entries(fieldsOf(d)).some(([k, f]) => f.gradual && typeof s[k] === 'number' && (s[k] as number) > (f.range?.(d.attributes)[0] ?? 0));
}

export function answerQuery(f: Frame, t: Targets, c: Compiled, view: HomeView, area: string | undefined): QueryResult | undefined {
  const attr = askedAttr(f);
  const acts = effectiveActs(f);
  // "which lights are on", "哪些灯开着", "are any windows open"; "传感器电量多少" asks each sensor's reading
  const stateAsked = !attr || attr === 'power' || attr === 'open' || attr === 'lock' || attr === 'playback';
  if ((f.which || (t.how === 'type' && t.devices.length > 1 && stateAsked)) && t.devices.length && (t.how === 'type' || t.how === 'area')) {
    const wantOff = acts.includes('off') || acts.includes('close');
    const lockQ = attr === 'lock';
    const devices = t.devices.filter((d) => {
      const s = view.state(d.id);
      if (lockQ) return s?.locked === false;
      return wantOff ? !isActive(d, s) : isActive(d, s);
    });
    const state = lockQ ? 'unlocked' : wantOff ? 'off' : attr === 'open' ? 'open' : 'on';
    const types = new Set(t.devices.map((d) => d.type));
    return { answers: [{ k: 'which', ...(types.size === 1 ? { type: t.devices[0]!.type } : {}), state, devices }], devices: devices.map((d) => d.id) };
  }
  // rooms: "what's the temperature in the living room", "客厅现在多少度"
  if ((attr === 'temperature' || attr === 'humidity') && (t.how === 'area' || t.how === 'none')) {
    // no room said: the speaker's, else the rooms that have a sensor for it
    const sensed = [...new Set(c.deviceList.filter((d) => roomFields(d, attr).some(([, order]) => order === 0)).map((d) => d.area))];
    const areas = f.areas.length ? f.areas : area ? [area] : sensed;
    const answers = areas.map((a) => roomAnswer(a, attr, c, view)).filter((x): x is Answer => !!x);
    if (answers.length) return { answers, devices: [] };
  }
  let devices = t.devices;
  if (t.how === 'area' || t.how === 'none') {
    // an area or nothing named: the devices that have what is asked
    const pool = t.how === 'area' ? t.devices : area ? c.deviceList.filter((d) => d.area === area) : c.deviceList;
    devices = attr ? pool.filter((d) => askedFieldPresent(d, attr)) : [];
    if (!devices.length && t.how === 'none' && attr) devices = c.deviceList.filter((d) => askedFieldPresent(d, attr));
    if (!devices.length) return undefined;
  }
  const answers: Answer[] = devices.map((d) => {
    // "is the front door open?", 大门开着吗: a lock says nothing of open; a contact sensor in the same area does
    if ((attr === 'open' || attr === 'power') && !saysOpenOrOn(d)) {
      const sensor = c.deviceList.find((x) => x.area === d.area && byAspect(x, 'open').length > 0);
      if (sensor) return describe(sensor, view.state(sensor.id), byAspect(sensor, 'open'), 'open');
    }
    return describe(d, view.state(d.id), fieldsFor(d, attr), attr);
  });
  return { answers, devices: devices.map((d) => d.id) };
}

function askedFieldPresent(d: DeviceView, attr: Attr | undefined): boolean {
  if (!attr) return false;
  if (!ANSWERED.has(attr)) return byAspect(d, attr).length > 0;
  return Object.values(fieldsOf(d)).some((f) => f.answers?.[attr] !== undefined);
}

/** The run a device counts down (`TraitSpec.progress`), when its state reports the minutes left. */
function progressOf(d: DeviceView, state: State): { p: NonNullable<TraitSpec['progress']>; minutes: number } | undefined {
  for (const t of d.traits) {
    const p = (TRAITS[t] as TraitSpec).progress;
    const minutes = p ? state[p.remaining] : undefined;
    if (p && typeof minutes === 'number') return { p, minutes };
  }
  return undefined;
}

/** Whether a device can say itself whether it is open or on: a power switch, a moving part, a state of work. */
function saysOpenOrOn(d: DeviceView): boolean {
  if (powerOf(d)) return true;
  const fields = fieldsOf(d);
  return Object.values(fields).some((f) => f.gradual) || d.traits.some((t) => Object.keys((TRAITS[t] as TraitSpec).active ?? {}).length > 0);
}

/** The device's fields that declare an aspect ("smoke": a smoke alarm's `smokeDetected`). */
function byAspect(d: DeviceView, attr: Attr): string[] {
  return Object.entries(fieldsOf(d)).filter(([, f]) => f.aspects?.includes(attr)).map(([name]) => name);
}
