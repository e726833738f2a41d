/**
 * The shape of a language's vocabulary. A lexicon is plain data: lists of words and phrases per meaning. The
 * compiler (../compile.ts) folds every phrase into one matcher together with the home's device, area and scene
 * names, so adding a word is adding a string to the right list.
 */
import type { DeviceType } from '@steward/device-adapters';

/** What a verb asks for; each device kind turns it into its own command (open a curtain, open the lock = unlock). */
export type Act =
  | 'on' | 'off' | 'open' | 'close' | 'set' | 'start' | 'stop' | 'pause' | 'play' | 'mute' | 'unmute'
  | 'lock' | 'unlock' | 'dock' | 'clean' | 'navigate' | 'charge' | 'toggle' | 'wash' | 'next' | 'previous' | 'cancel';

/** Attributes people name ("brightness", "音量", "fridge compartment"). */
export type Attr =
  | 'power' | 'brightness' | 'color' | 'colorTemp' | 'volume' | 'temperature' | 'mode' | 'fanSpeed' | 'program'
  | 'input' | 'app' | 'channel' | 'position' | 'level' | 'fridge' | 'freezer' | 'chargeLimit' | 'battery'
  | 'humidity' | 'destination' | 'lock' | 'status' | 'playback' | 'open'
  /** time left of a running cycle: "how long until the washer is done", 还要多久 */
  | 'remaining'
  /** what sensors and meters report: watts drawn, energy used, fine particles, someone there, smoke, water */
  | 'powerDraw' | 'energy' | 'airQuality' | 'occupancy' | 'smoke' | 'leak'
  /** what more sensors sense and measure (device-adapters traits/readings.ts: the fields' `aspects`) */
  | 'carbonMonoxide' | 'carbonDioxide' | 'gas' | 'connectivity' | 'plug' | 'mains' | 'presence' | 'problem' | 'safety' | 'noise'
  | 'tamper' | 'update' | 'vibration' | 'pressure' | 'illuminance' | 'voltage' | 'current' | 'powerFactor' | 'frequency' | 'pm10'
  | 'pm1' | 'ozone' | 'nitrogenDioxide' | 'sulphurDioxide' | 'voc' | 'signal' | 'speed' | 'distance' | 'weight' | 'water' | 'rain'
  | 'moisture' | 'irradiance' | 'nitrogenMonoxide' | 'nitrousOxide' | 'rainRate' | 'dataRate' | 'dataSize' | 'duration' | 'cost';

export type Quantifier = 'any' | 'all' | 'which' | 'count';

export type Unit = 'percent' | 'degree' | 'kelvin' | 'minute' | 'second' | 'hour' | 'channel' | 'level';

/** Fields whose values are canonical ids from the device's attributes (modes, programs, inputs, apps, speeds). */
export type OptionField = 'mode' | 'program' | 'fanSpeed' | 'input' | 'app';

export type Meaning =
  | { r: 'verb'; act: Act; to?: boolean; weak?: boolean; type?: DeviceType; dest?: string }
  /** English "on"/"off" after the object ("turn the light off", "lights on") */
  | { r: 'onoff'; on: boolean }
  | { r: 'attr'; attr: Attr; type?: DeviceType }
  | { r: 'value'; field: OptionField; id: string }
  | { r: 'color'; hue: number; saturation: number; name: string }
  | { r: 'white'; kelvin: number; name: string }
  /** relative change: +1 up, -1 down, optionally of a given attribute ("brighter", "调低", "太亮了") */
  | { r: 'dir'; sign: 1 | -1; attr?: Attr }
  | { r: 'amount'; size: 'bit' | 'lot' }
  | { r: 'extreme'; which: 'max' | 'min' }
  | { r: 'unit'; unit: Unit }
  | { r: 'num'; value: number; unit?: Unit; percent?: boolean }
  | { r: 'pron' }
  | { r: 'all'; count?: number }
  /**
   * a question marker; `attr` when the word names what is asked ("多少度", "how warm"); `quant` when it asks over
   * many devices: any ("are any", 有没有), all ("are all", 是不是都), which ("which", 哪些), count ("how many", 几个)
   */
  | { r: 'q'; attr?: Attr; which?: boolean; lead?: boolean; mark?: boolean; is?: boolean; quant?: Quantifier }
  /** a detected condition's state said in a question ("low", "wet", "connected", 漏水了): a sensor field's `states` id */
  | { r: 'state'; id: string }
  /** "can you", "请", "帮我": a request even when phrased as a question */
  | { r: 'polite' }
  | { r: 'yes' }
  | { r: 'no' }
  | { r: 'sep'; and?: boolean }
  | { r: 'again' }
  /** "too", "as well", 也: the turn continues the previous command with another target */
  | { r: 'also' }
  /** an answer that picks among offered devices: 1-based position, -1 the last, 0 "the other one" */
  | { r: 'pick'; index: number }
  /** "except", "but", 除了: the targets after it are left out */
  | { r: 'except'; after?: boolean }
  /** "the rest", 其他, 其余: every other one (of the kind the exclusion names) */
  | { r: 'rest' }
  /** furniture a device is near ("the lamp on the desk", 床边的灯): the home's areas named like its usual room */
  | { r: 'near'; word: string; areas: string[] }
  | { r: 'to' }
  | { r: 'by' }
  | { r: 'prep' }
  | { r: 'delayBefore' }
  | { r: 'delayAfter' }
  | { r: 'duration'; ms: number }
  /** a measure word that counts devices (两个灯, 三盏灯): the number before it is how many, not a value */
  | { r: 'measure' }
  /** "for" (持续): the time after it is how long the command lasts, not when it starts */
  | { r: 'lasting' }
  | { r: 'filler' }
  | { r: 'type'; type: DeviceType; plural?: boolean }
  | { r: 'dev'; ids: string[] }
  | { r: 'area'; id: string }
  | { r: 'scene'; id: string; hint?: boolean }
  | { r: 'node'; id: string };

export interface ColorWord {
  hue: number;
  saturation: number;
  words: string[];
}

export interface Lexicon {
  lang: 'en' | 'zh';
  verbs: Partial<Record<Act, string[]>>;
  /** verbs that move a value to a target ("set ... to", "调到", "切换到") */
  setVerbs: string[];
  /** verbs that turn on and set at once ("开到高档") */
  onSetVerbs?: string[];
  /** verbs that name the device kind they act on ("vacuum the floor", "洗衣服") */
  typedVerbs: { act: Act; type: DeviceType; words: string[] }[];
  /** words after which a scene name's head still names the scene ("movie mode" -> "movie", "观影模式" -> "观影") */
  sceneSuffixes?: string[];
  /** navigation to a place said in the verb itself ("take me home", "导航回家"): destination text -> phrases */
  places?: Record<string, string[]>;
  /** verbs good only when nothing else in the clause names a target or value ("go to the airport") */
  weakVerbs?: { act: Act; words: string[] }[];
  onOffWords?: { on: string[]; off: string[] };
  attributes: Partial<Record<Attr, string[]>>;
  /** canonical option ids: field -> id -> words; the ids themselves are matched from the home's attributes */
  options: Record<OptionField, Record<string, string[]>>;
  colors: Record<string, ColorWord>;
  whites: Record<string, { kelvin: number; words: string[] }>;
  directions: { sign: 1 | -1; attr?: Attr; words: string[] }[];
  amounts: { bit: string[]; lot: string[] };
  extremes: { max: string[]; min: string[] };
  units: Record<Unit, string[]>;
  /** fixed durations ("half an hour", "半小时") */
  durations: { ms: number; words: string[] }[];
  pronouns: string[];
  all: string[];
  /** "both", 俩都: every one of two, and only of two */
  both?: string[];
  /** `is`: the state a yes/no question asks after (开着吗 true, 关着吗 false; for a lock, locked; for a cover, open) */
  questions: { attr?: Attr; which?: boolean; lead?: boolean; is?: boolean; quant?: Quantifier; words: string[] }[];
  /** the states of detected conditions (ids of the sensor fields' `states` in device-adapters): "low", "wet", 漏水 */
  states?: Record<string, string[]>;
  polite: string[];
  yes: string[];
  no: string[];
  separators: string[];
  /** separators that join targets ("the lamp and the TV", 和): a clause of targets only joins the next one across them */
  conjunctions: string[];
  again: string[];
  to: string[];
  by: string[];
  prepositions: string[];
  delayBefore: string[];
  delayAfter: string[];
  /** words before a time that say how long ("for two hours", 持续两小时): act now, undo after it */
  lasting?: string[];
  /** measure words that count devices after a number (两个灯, 三盏灯, 两台空调) */
  measures?: string[];
  fillers: string[];
  /** words of dialogue: continuing the last command, picking among offered devices, leaving devices out */
  dialogue: { also: string[]; rest: string[]; other: string[]; ordinals: string[][]; last: string[]; except: string[]; exceptAfter: string[] };
  /**
   * Furniture and fixtures people locate devices by, with the names of the rooms they are usually in ("desk" →
   * study, office; 床 → 卧室): matched against the home's area names, then the device names ("bedside lamp").
   */
  furniture: { words: string[]; rooms: string[]; stem: string }[];
  /** generic device words on top of device-adapters' DEVICE_TYPES words */
  types: Partial<Record<DeviceType, string[]>>;
}
