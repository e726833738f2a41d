/**
 * Home Assistant's intents from what the engine understood. The engine parses the sentence through the public
 * Understanding API (the same `parse` the pipeline calls; that call alone is timed); the adapter then reads the
 * resulting clause (the devices acted on or asked about, the commands and their values) and, to know whether the
 * speaker named a device or said a kind of device and a place, the engine's own frame of the sentence (its
 * registry names, areas and device words). Nothing here reads the corpus text, ids or expected slots.
 */
import { performance } from 'node:perf_hooks';
import { createUnderstanding } from '../understanding/index.ts';
import { compile } from '../understanding/compile.ts';
import { normalize } from '../understanding/text.ts';
import { detect, languageOf } from '../understanding/languages/index.ts';
import { scan } from '../understanding/scan.ts';
import { splitClauses } from '../understanding/clauses.ts';
import { readFrame, type Frame } from '../understanding/frame.ts';
import type { Clause, Understanding } from '../understanding/contract.ts';
import { TRAITS, deviceTypeSpec, type TraitSpec } from '@steward/device-adapters';
import type { HaHome, HaOrigin } from './ha-fixtures.ts';
import { fieldsOf } from '@steward/device-adapters';
import { statesAsked } from '../understanding/conditions.ts';

export const HA_DEVICE_INTENTS = [
  'HassTurnOn', 'HassTurnOff', 'HassLightSet', 'HassGetState', 'HassClimateSetTemperature', 'HassClimateGetTemperature',
  'HassSetPosition', 'HassSetVolume', 'HassMediaPause', 'HassMediaUnpause', 'HassMediaNext', 'HassMediaPrevious',
  'HassVacuumStart', 'HassVacuumReturnToBase',
] as const;

export type Slots = Record<string, string | number>;
export interface Prediction {
  intent: string | null;
  slots: Slots;
  ms: number;
}

/** HA's domain (and cover device class) of a kind of device the home may not have */
const TYPE_DOMAIN: Partial<Record<string, [string, string?]>> = {
  light: ['light'], fan: ['fan'], window: ['cover', 'window'], garage_door: ['cover', 'garage'], curtain: ['cover', 'curtain'], lock: ['lock'], tv: ['media_player'],
  speaker: ['media_player'], air_conditioner: ['climate'], vacuum: ['vacuum'], valve: ['valve'],
};

const COMMAND_INTENT: Record<string, string> = {
  turnOn: 'HassTurnOn', turnOff: 'HassTurnOff', open: 'HassTurnOn', close: 'HassTurnOff', lock: 'HassTurnOn', unlock: 'HassTurnOff',
  setBrightness: 'HassLightSet', adjustBrightness: 'HassLightSet', setColor: 'HassLightSet', setColorTemperature: 'HassLightSet',
  setTargetTemperature: 'HassClimateSetTemperature', adjustTargetTemperature: 'HassClimateSetTemperature',
  setPosition: 'HassSetPosition', setVolume: 'HassSetVolume', adjustVolume: 'HassSetVolume',
  pause: 'HassMediaPause', play: 'HassMediaUnpause', next: 'HassMediaNext', previous: 'HassMediaPrevious',
  startCleaning: 'HassVacuumStart', returnToDock: 'HassVacuumReturnToBase',
};

/**
 * HA's cover device class of a kind word, per language (its grammar's cover-class lists, in our normalised
 * spelling: Chinese folded to Simplified): HA fills `device_class` from the word said, not from the device, so
 * "the blinds" is `blind` whatever class the covers there have, and HA's Taiwanese grammar reads 窗簾 as blinds.
 */
const HA_COVER_CLASS: Partial<Record<string, Record<string, string>>> = {
  en: {
    blind: 'blind', blinds: 'blind', shade: 'shade', shades: 'shade', curtain: 'curtain', curtains: 'curtain', drapes: 'curtain',
    shutter: 'shutter', shutters: 'shutter', awning: 'awning', awnings: 'awning',
  },
  'zh-TW': { 窗帘: 'blind' },
};

/**
 * The kinds whose device word said with a place HA's templates write as `name: all`, per language: fans in every
 * language; locks in HA's Taiwanese templates (打開廚房所有門鎖, 把廚房所有門上鎖), not its zh-cn and zh-hk ones
 * (把厨房的门锁都解锁). HA's English lock tests disagree with themselves ("unlock kitchen doors" is `all`, "lock
 * kitchen doors" is not): left as they are.
 */
const HA_ALL_IN_AREA: Partial<Record<string, readonly string[]>> = { en: ['fan'], zh: ['fan'], 'zh-TW': ['fan', 'lock'], 'zh-HK': ['fan'] };

/** Words that name a door, not its lock: opened or closed where no lock is, they may be a garage door or a gate. */
const DOOR_WORDS: ReadonlySet<string> = new Set(['door', 'doors', '门']);

/** The command a spoken act stands for on a kind of device, by its traits' declared acts (open a lock: unlock). */
function actOn(type: string, act: string): { command: string; own: boolean } | undefined {
  let best: { command: string; own: boolean; rank: number } | undefined;
  for (const t of deviceTypeSpec(type)?.traits ?? []) {
    const b = (TRAITS as Record<string, TraitSpec>)[t]?.acts?.[act];
    if (b && (!best || b.rank < best.rank)) best = { command: b.command, own: !!b.own, rank: b.rank };
  }
  return best;
}

/**
 * HA's binary-sensor class of a word, where one of our kinds stands for several of HA's (our motion sensor is HA's
 * motion and occupancy): HA fills `device_class` from the word said.
 */
const HA_SENSOR_CLASS: Partial<Record<string, Record<string, string>>> = {
  en: { motion: 'motion', movement: 'motion', occupancy: 'occupancy', occupied: 'occupancy' },
};

/** The state words of HassGetState, from the verb the question asks about ("is it on", "is it closed"). */
const ACT_STATE: Record<string, string> = { on: 'on', off: 'off', open: 'open', close: 'closed', lock: 'locked', unlock: 'unlocked' };
const COVER_STATE: Record<string, string> = { on: 'open', off: 'closed' };
const POWER_STATE: Record<string, string> = { open: 'on', closed: 'off' };

/** The state a question asks after in its question word (开着吗, 锁了吗, 锁着的): on/off, or locked/unlocked. */
function askedState(f: Frame): string | undefined {
  const lock = f.qattrs.includes('lock') || f.attrs.includes('lock');
  if (f.askedIs !== undefined) return lock ? (f.askedIs ? 'locked' : 'unlocked') : f.askedIs ? 'on' : 'off';
  if (f.attrs.includes('lock')) return 'locked';
  if (f.attrs.includes('open')) return 'on';
  return undefined;
}

export interface HaAdapter {
  predict(text: string, contextArea?: string): Prediction;
}

export function haAdapter(home: HaHome): HaAdapter {
  const u: Understanding = createUnderstanding(home.view);
  const c = compile(home.view);
  const deviceById = new Map(home.view.devices().map((d) => [d.id, d]));
  /** the engine's frame of the first clause that says something, and the registry names its scan matched */
  const coverClass = HA_COVER_CLASS[home.lang] ?? {};
  const sensorClass = HA_SENSOR_CLASS[home.lang] ?? {};
  const frameOf = (text: string): { f: Frame; spoken: Map<string, string>; typeWord?: string } | undefined => {
    const n = normalize(text);
    const language = detect(n);
    for (const ts of splitClauses(scan(n, c, language))) {
      const f = readFrame(ts, n, language);
      if (!f.content) continue;
      const spoken = new Map<string, string>();
      let typeWord: string | undefined;
      for (const t of ts) {
        for (const m of t.m) if (m.r === 'dev') for (const id of m.ids) spoken.set(id, n.text.slice(t.s, t.e));
        if (typeWord === undefined && t.m.some((m) => m.r === 'type')) typeWord = n.text.slice(t.s, t.e);
      }
      return { f, spoken, ...(typeWord !== undefined ? { typeWord } : {}) };
    }
    return undefined;
  };

  let contextName: string | undefined;
  let spoken = new Map<string, string>();
  /** the cover class HA reads in the kind word said ("blinds"), if any */
  let saidClass: string | undefined;
  const classOf = (deviceClass: string | undefined): string | undefined => (deviceClass === undefined ? undefined : (saidClass ?? deviceClass));

  /** a device's HA name as the engine matched it (HA's name slot is the spoken one when a device has several) */
  const nameOf = (id: string, o: HaOrigin): string => {
    const said = spoken.get(id);
    return (said && o.names.find((x) => x.toLowerCase() === said)) || o.name;
  };

  function predict(text: string, contextArea?: string): Prediction {
    // the satellite's area as the record gives it: a name, or (zh fixtures) the English name of the area's id
    const area = contextArea === undefined ? undefined : home.areaByName.get(contextArea.toLowerCase()) ?? home.areaById(contextArea);
    contextName = contextArea;
    const t0 = performance.now();
    const interp = u.parse(text, area ? { area } : {});
    const ms = Number((performance.now() - t0).toFixed(4));
    const none: Prediction = { intent: null, slots: {}, ms };
    // HA's device intents are one command each: the first clause that did or asked something
    const clause = interp.clauses.find((x) => x.kind === 'act' || x.kind === 'query');
    const read = frameOf(text);
    saidClass = read?.typeWord === undefined ? undefined : coverClass[read.typeWord];
    if (!clause) {
      // "打开厨房的风扇" where the kitchen has no fan: HA recognises the intent and fails to run it; so do we
      const r = read && fromWords(read.f, read.typeWord);
      return r ? { ...r, ms } : none;
    }
    const f = read?.f;
    spoken = read?.spoken ?? new Map();
    const memory = interp.memory as { devices?: string[] };
    const r = clause.kind === 'act' ? fromAct(clause, f, area) : fromQuery(memory.devices ?? [], f, area);
    return r ? { ...r, ms } : none;
  }

  /** the slot of a place the sentence named: HA's area, or its floor */
  function placeSlot(id: string): Slots {
    const name = home.areaName.get(id);
    return name === undefined ? {} : { [home.floors.has(id) ? 'floor' : 'area']: name };
  }

  /** name / area / domain / device_class as the sentence gave them, for the devices the engine resolved */
  function target(devices: string[], f: Frame | undefined, area: string | undefined, withClass: boolean): Slots {
    const slots: Slots = {};
    const first = devices.map((id) => home.origin.get(id)).find((o) => !!o);
    if (f?.devs.length) {
      // the name of a device the engine resolved: a name said of another device than the one acted on is a miss
      const id = devices.find((d) => f.devs.includes(d)) ?? (devices.length ? devices[0]! : f.devs[0]!);
      const o = home.origin.get(id);
      if (o) slots.name = nameOf(id, o);
    }
    if (f?.areas.length) {
      const a = home.areaName.get(f.areas[0]!);
      if (a) slots[home.floors.has(f.areas[0]!) ? 'floor' : 'area'] = a;
    } else if (!slots.name && area) slots.area = contextName ?? home.areaName.get(area)!;
    if (!slots.name && first && (f?.types.length || f?.all)) {
      slots.domain = first.domain;
      const dc = first.domain === 'cover' ? classOf(first.deviceClass) : first.deviceClass;
      if (withClass && dc) slots.device_class = dc;
    }
    return slots;
  }

  function fromAct(clause: Extract<Clause, { kind: 'act' }>, f: Frame | undefined, area: string | undefined): Omit<Prediction, 'ms'> | undefined {
    if (clause.sceneId) {
      const name = home.sceneName.get(clause.sceneId);
      // "party mode in the kitchen": HA keeps the place said with the scene
      const place = f?.areas.length ? placeSlot(f.areas[0]!) : {};
      return name ? { intent: 'HassTurnOn', slots: { name, domain: home.sceneDomain.get(clause.sceneId) ?? 'scene', ...place } } : undefined;
    }
    if (!clause.actions.length) return undefined;
    // setting a value of a device that is off also turns it on: the value is what was asked
    const main = clause.actions.find((a) => a.command !== 'turnOn') ?? clause.actions[0]!;
    // "TV下一台": HA's next and previous cover channels
    const intent = main.command === 'adjustChannel' ? (Number(main.params.delta) > 0 ? 'HassMediaNext' : 'HassMediaPrevious') : COMMAND_INTENT[main.command];
    if (!intent) return undefined;
    const devices = [...new Set(clause.actions.map((a) => a.deviceId))];
    const cover = devices.some((id) => home.origin.get(id)?.domain === 'cover');
    const slots = target(devices, f, area, cover);
    haConventions(intent, slots, devices, f);
    const p = main.params;
    switch (main.command) {
      case 'setBrightness':
        slots.brightness = Number(p.brightness);
        break;
      case 'setColor':
        if (f?.colors[0]) slots.color = f.colors[0].name;
        break;
      case 'setTargetTemperature':
        slots.temperature = Number(p.celsius);
        delete slots.domain;
        break;
      case 'setPosition': {
        slots.position = Number(p.position);
        const o = home.origin.get(devices[0]!);
        if (o) slots.domain = o.domain;
        if (o?.deviceClass && !slots.name) slots.device_class = classOf(o.deviceClass)!;
        break;
      }
      case 'setVolume':
        slots.volume_level = Number(p.volume);
        break;
      default:
        break;
    }
    return { intent, slots };
  }

  /**
   * How HA's intent schema writes a target the engine resolved (its templates, not the sentence): value intents
   * carry no domain; a room said in a zh LightSet and "the fans"/"the locks in the kitchen" are
   * `name: all`; "light up the kitchen", which the engine turns into the kitchen's lights, is the light domain.
   */
  function haConventions(intent: string, slots: Slots, devices: string[], f: Frame | undefined): void {
    const domains = new Set(devices.map((id) => home.origin.get(id)?.domain));
    const saidArea = !!f?.areas.length;
    const byWord = !slots.name && !!(f?.types.length || f?.all);
    if (intent === 'HassTurnOn' || intent === 'HassTurnOff') {
      // HA's valve sentences are templates of their own that fill the domain beside the name
      if (slots.name && domains.size === 1 && domains.has('valve')) slots.domain = 'valve';
      const allInArea = HA_ALL_IN_AREA[home.lang] ?? [];
      if (byWord && domains.size === 1 && (domains.has('fan') ? saidArea || !slots.area : saidArea && allInArea.includes([...domains][0]!))) slots.name = 'all';
      // HA's Chinese templates: "all the lights" with no place (关闭所有灯光) is `name: all`
      if (byWord && f?.all && !saidArea && !slots.area && domains.size === 1 && languageOf(home.lang).script.han) slots.name = 'all';
      if (!slots.name && !slots.domain && (slots.area || slots.floor) && domains.size === 1 && domains.has('light')) slots.domain = 'light';
      return;
    }
    delete slots.domain;
    delete slots.device_class;
    if (intent === 'HassLightSet' && languageOf(home.lang).script.han && !slots.name && saidArea) slots.name = 'all';
  }

  /**
   * A command the engine understood but could not run because the place has no such device ("厨房没有风扇"): the
   * intent from the verb and the device word, the slots from the place and the word's HA domain.
   */
  function fromWords(f: Frame, typeWord: string | undefined): Omit<Prediction, 'ms'> | undefined {
    if (f.question || f.devs.length || f.types.length > 1 || f.areas.length > 1) return undefined;
    // the place said, else the speaking device's (none: no place slot)
    const place: Slots = f.areas.length ? placeSlot(f.areas[0]!) : contextName ? { area: contextName } : {};
    if (f.areas.length && !Object.keys(place).length) return undefined;
    // "set the bedroom to 22 degrees" where the bedroom has no thermostat, "set temperature to 30°" between two
    const degrees = f.nums.find((x) => x.unit === 'degree');
    if (degrees && f.acts.every((a) => a.act === 'set') && !f.types.length) {
      return { intent: 'HassClimateSetTemperature', slots: { ...(f.areas.length ? place : {}), temperature: degrees.value } };
    }
    // "turn the kitchen fan on": the switch word says what "turn" does
    const acts = f.onoff === undefined ? f.acts : f.acts.filter((a) => a.act !== 'set');
    const act = acts.length === 1 ? acts[0]!.act : !acts.length && f.onoff !== undefined ? (f.onoff ? 'on' : 'off') : undefined;
    if (!act) return undefined;
    // "打开门锁": the kind's traits say what the act does (open a lock: unlock); a door word said with open or
    // close, where no lock is, may be a garage door or a gate: only a lock word or lock and unlock say lock
    // a verb of one kind says the kind ("light up the kitchen")
    const type = f.types[0]?.type ?? f.acts.find((a) => a.type)?.type ?? (act === 'lock' || act === 'unlock' ? 'lock' : undefined);
    const [domain, deviceClass] = type ? (TYPE_DOMAIN[type] ?? []) : [];
    if (!type || !domain) return undefined;
    const bound = actOn(type, act);
    if (!bound || (!bound.own && typeWord !== undefined && DOOR_WORDS.has(typeWord))) return undefined;
    const intent = COMMAND_INTENT[bound.command];
    if (intent !== 'HassTurnOn' && intent !== 'HassTurnOff') return undefined;
    const dc = domain === 'cover' ? classOf(deviceClass) : deviceClass;
    const slots: Slots = { ...place, domain, ...(dc ? { device_class: dc } : {}) };
    // HA's templates: "the fans in the kitchen" are all of them (and, in some languages, the locks)
    if (f.areas.length && (HA_ALL_IN_AREA[home.lang] ?? []).includes(domain)) slots.name = 'all';
    return { intent, slots };
  }

  function fromQuery(devices: string[], f: Frame | undefined, area: string | undefined): Omit<Prediction, 'ms'> | undefined {
    if (!f) return undefined;
    const asksTemperature = f.qattrs.includes('temperature') || f.attrs.includes('temperature');
    const climate = devices.filter((id) => home.origin.get(id)?.domain === 'climate');
    // a room's temperature (no device answers) or a thermostat's: HassClimateGetTemperature
    if (asksTemperature && (devices.length === 0 || climate.length === devices.length)) {
      const slots = target(devices, f, area, false);
      delete slots.domain;
      return Object.keys(slots).length || devices.length === 0 ? { intent: 'HassClimateGetTemperature', slots } : undefined;
    }
    if (!devices.length) return undefined;
    const o = home.origin.get(devices[0]!);
    const slots = target(devices, f, area, o?.domain === 'cover' || o?.domain === 'binary_sensor' || o?.domain === 'sensor');
    // HA's state questions name the domain of a cover or lock, and of a sensor with a device class
    if (slots.name && o && !slots.domain) {
      if (o.domain === 'cover' || o.domain === 'lock') slots.domain = o.domain;
      else if ((o.domain === 'sensor' || o.domain === 'binary_sensor') && o.deviceClass) Object.assign(slots, { domain: o.domain, device_class: o.deviceClass });
    }
    // a question over many devices ("are any gas sensors on", "is there any occupancy detected"): HA's templates name
    // no device, even when the class word is also a device's name (the gas sensor called "Gas")
    if (slots.name && (f.quant || f.all) && f.attrs.length && o?.domain === 'binary_sensor') delete slots.name;
    // "is there smoke in the kitchen", "is motion detected": the sensors of one class that sense what is asked; HA
    // reads the class in that word
    const classes = new Set(devices.map((id) => home.origin.get(id)).map((x) => (x?.domain === 'binary_sensor' ? x.deviceClass : undefined)));
    const wordClass = classes.size > 1 ? sensorClass[f.text.match(/[a-z]+/g)?.find((w) => w in sensorClass) ?? ''] : undefined;
    if (!slots.name && o?.domain === 'binary_sensor' && o.deviceClass && (classes.size === 1 || (wordClass && classes.has(wordClass)))) {
      Object.assign(slots, { domain: o.domain, device_class: classes.size === 1 ? o.deviceClass : wordClass });
    }
    // "are any doors unlocked": the state word said
    const lockWord = o?.domain === 'lock' ? f.states.find((x) => x === 'locked' || x === 'unlocked') : undefined;
    const state = lockWord ?? f.acts.map((a) => ACT_STATE[a.act]).find((s) => !!s) ?? (f.onoff === undefined ? undefined : f.onoff ? 'on' : 'off') ?? askedState(f);
    // a sensed condition's state said ("low", "safe", "connected"): HA's on is the field's value true
    const sensed = o?.domain === 'binary_sensor' ? sensedState(devices[0]!, f) : undefined;
    if (sensed) slots.state = sensed;
    // HA's words for a cover's state are open and closed; for a switchable device (a light "关着"), on and off
    else if (state) slots.state = o?.domain === 'cover' ? (COVER_STATE[state] ?? state) : o?.domain === 'lock' ? state : (POWER_STATE[state] ?? state);
    // a yes/no question about a binary sensor that says no state asks whether it detects what it senses ("is there
    // smoke", "is the leak sensor wet"): HA's `on`
    else if (o?.domain === 'binary_sensor') slots.state = 'on';
    return { intent: 'HassGetState', slots };
  }

  /** on/off for the state the question said, from the device's field that declares it (`FieldSpec.states`) */
  function sensedState(id: string, f: Frame): string | undefined {
    const d = deviceById.get(id);
    if (!d) return undefined;
    for (const st of statesAsked(f)) {
      for (const spec of Object.values(fieldsOf(d))) {
        const means = spec.states?.[st];
        if (means !== undefined) return means ? 'on' : 'off';
      }
    }
    return undefined;
  }

  return { predict };
}
