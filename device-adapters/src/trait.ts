import { z } from 'zod';
import { StewardError } from './errors.ts';

/** A state value as it travels in JSON: typed, with `null` for "nothing" (no app open, no destination). */
export const ValueSchema = z.union([z.boolean(), z.number(), z.string(), z.null()]);
export type Value = z.infer<typeof ValueSchema>;
export const StateSchema = z.record(z.string(), ValueSchema);
export type State = z.infer<typeof StateSchema>;
export type Attributes = Record<string, unknown>;

export type HomieDatatype = 'boolean' | 'integer' | 'float' | 'string' | 'enum';

export interface FieldSpec {
  datatype: HomieDatatype;
  /** Homie unit (`°C`, `%`, `K`, `min`) */
  unit?: string;
  /** reported by the device, never commanded (ambient temperature, battery, remaining time) */
  readOnly?: boolean;
  /**
   * Reported by the device once it knows it (a charge's or a cleaning run's minutes left): a home's initial state
   * may leave it out, and an older device that never reports it is still a whole device.
   */
  optional?: boolean;
  nullable?: boolean;
  /** allowed numeric range for this device */
  range?: (attributes: Attributes) => readonly [number, number];
  /** allowed values for this device (enum) */
  options?: (attributes: Attributes) => readonly string[];
  /** takes time on a real device: the property carries the actual value and `$target` the commanded one (Homie 5) */
  gradual?: boolean;
  /** the command that a Homie `/set` of this property stands for */
  set?: (value: Value) => CommandCall;
  // What understanding needs to know of the field, without a word of any language (hub/src/understanding reads it):
  /** the aspects people name when they mean this field ("temperature", "battery"): ids of the lexicons' attributes */
  aspects?: readonly string[];
  /**
   * A bare number or "up/down" said to the device moves its field of the lowest rank ("set it to 30", "turn it up");
   * among fields named by one aspect the lower rank wins too. Fields without a rank come after those with one.
   */
  rank?: number;
  /** whether the field is the one meant for a given number (a fridge's negative degrees are its freezer's) */
  accepts?: (value: number | undefined) => boolean;
  /** the command that moves the field by a signed `delta` */
  adjust?: string;
  /** what "a bit" moves it by ("a lot" is twice that) */
  step?: number;
  /** relative moves go by whole steps (a level, a channel) */
  wholeSteps?: boolean;
  /** the Home Assistant intent (or Steward's own id) that setting the field stands for; `adjustIntent` for a relative move */
  intent?: string;
  adjustIntent?: string;
  /** an enum field whose options are steps from low to high (fan speeds): numbers, "max" and "up" pick among these */
  ladder?: (attributes: Attributes) => readonly string[];
  /**
   * An option of this field said with a verb that starts the device ("start the dishwasher on eco", 用快洗开始洗) is
   * one command: the start command (the one the trait's acts bind the verb to) with the option as `param`.
   */
  startsWith?: { command: string; param: string; intent: string };
  /**
   * An aspect this field answers to as a weaker reading, where the device has no writable field of its own for it,
   * and which way: "warmer" light is a lower colour temperature (`{ aspect: 'temperature', sign: -1 }`).
   */
  also?: { aspect: string; sign: 1 | -1 };
  /**
   * The options of another field that move this one up or down: a complaint ("I'm cold") to a device running the
   * other one switches to the one that helps, rather than moving this field (`{ field: 'mode', up: 'heat', down: 'cool' }`).
   */
  modes?: { field: string; up: string; down: string };
  /** a number said with this act, and no unit or aspect, sets this field ("charge to 80": the charge limit); an act id */
  numberWith?: string;
  /**
   * The questions the field answers, by aspect id, each with its place among a device's fields that answer it
   * (lower first): "is it on" reads `on` (0) before a program's `running` (1); "how long is left" a cycle's
   * `remainingMin`. Having such a field makes a device one that has the aspect ("the devices with a battery").
   */
  answers?: Readonly<Record<string, number>>;
  /** aspects the field is said alongside without making the device one that has it (a light's on/off for "brightness") */
  alsoAnswers?: Readonly<Record<string, number>>;
  /**
   * The field measures its room, by aspect, with its precedence: "what's the temperature in the kitchen" reads a
   * room sensor's `temperatureC` (0) before a thermostat's `ambientC` (1); the rooms with a field of precedence 0
   * are those a question with no room is answered for.
   */
  room?: Readonly<Record<string, number>>;
  /** left out of a device's summary ("what is the light doing" says no hue and no minutes left) */
  hidden?: boolean;
  /**
   * A detected condition's states people ask after, by language-neutral state id ("low", "wet", "detected", "safe"),
   * each with the field value that means it: a low-battery flag is `low` when true and `normal` when false. The
   * lexicons say the words of each state; questions ("is the phone battery low", "which sensors are triggered")
   * pick the field that has the state asked.
   */
  states?: Readonly<Record<string, boolean>>;
}

export interface CommandCall {
  command: string;
  params: Record<string, unknown>;
}

export interface CommandContext<P> {
  params: P;
  state: State;
  attributes: Attributes;
}

export interface CommandSpec<P = any> {
  summary: string;
  params: z.ZodType<P>;
  /**
   * The state this command asks for, as a patch of the trait's fields. Throws a StewardError for values the
   * device cannot take; relative commands clamp to the range instead, as a real device does at its end stop.
   */
  effect(ctx: CommandContext<P>): State;
  /** a device that switches must be on for this to mean anything: understanding turns it on first (brightness, an app) */
  turnsOn?: boolean;
}

/**
 * What a spoken act ("on", "open", "dock", "pause": language-neutral ids, hub/src/understanding/lexicon/types.ts
 * `Act`) means for a trait: which command it sends. When a device has several traits that take the act, the
 * lowest `rank` wins ("open" unlocks a lock before it switches anything on).
 */
export interface ActBinding {
  command: string;
  /** the Home Assistant intent (or Steward's own id) the command stands for */
  intent: string;
  rank: number;
  /** the act is this trait's own ("mute" is volume's): naming it picks the devices that have the trait */
  own?: boolean;
  /** 0 power on, 1 values, 2 acts (the default), 3 power off */
  phase?: number;
  /** the command's parameters; undefined when the act cannot be done as said (a destination that was not given) */
  params?: (ctx: { attributes: Attributes; destination?: string }) => Record<string, unknown> | undefined;
  /** the field the command moves and the parameter that holds the value or the delta, for the reply */
  effect?: { field?: string; value?: string; delta?: string };
}

/**
 * Needs people state instead of commands ("it's too hot", "太暗了", "I'm cold"): which devices can answer them is
 * data on the trait (and on the device type), so understanding never lists device kinds for a need.
 */
export const NEEDS = ['cool', 'warm', 'light'] as const;
export type Need = (typeof NEEDS)[number];

/** What a colour or a white said becomes on a trait: a value of one of its fields, or a command that moves that field. */
export type ShownAs = { field: string; value: number } | { field: string; command: string; params: Record<string, unknown> };

/**
 * How a trait shows colours and whites people name ("red", "warm white", 暖光), without a word of any language:
 * `colour` takes a hue (0-360) and saturation (0-100, white is 0), `white` a colour temperature in kelvin. A device
 * shows each with the trait of the lowest rank that can; `onlyWhite` refuses a colour a trait cannot show.
 */
export interface ShowsSpec {
  colour?: { rank: number; show: (c: { hue: number; saturation: number }, attributes: Attributes) => ShownAs | 'onlyWhite' };
  white?: { rank: number; show: (kelvin: number, attributes: Attributes) => ShownAs };
}

export interface TraitSpec {
  id: string;
  summary: string;
  attributes: z.ZodObject<z.ZodRawShape>;
  fields: Record<string, FieldSpec>;
  commands: Record<string, CommandSpec>;
  /** the needs a device with this trait serves, given its attributes */
  serves?: (attributes: Attributes) => readonly Need[];
  /** the spoken acts the trait answers, by act id */
  acts?: Readonly<Record<string, ActBinding>>;
  /** the trait is the device's power switch: `field` true is on ("turn on the kitchen", an implied power-on) */
  power?: { field: string; on: string; off: string };
  /** changes every device with this trait waits for the owner's yes for (a lock is never unlocked unasked) */
  confirm?: readonly ('unlock' | 'open')[];
  /** the colours and whites it shows */
  shows?: ShowsSpec;
  /**
   * A run the device counts down (a program's cycle, a charge, a robot's run), for "how long is left": the field of
   * minutes left, the field and value that say it is running, what it is doing then (said in replies: charging,
   * cleaning, mowing), and for a charge the level it climbs and the limit it stops at.
   */
  progress?: { remaining: string; running: { field: string; value: Value }; activity?: string; level?: string; limit?: string };
  /** the fields whose values say the device is at work (on, playing, cleaning, running), and the value that says so */
  active?: Readonly<Record<string, Value>>;
}

export function defineTrait<const T extends TraitSpec>(trait: T): T {
  return trait;
}

export function defineCommand<P>(spec: CommandSpec<P>): CommandSpec<P> {
  return spec;
}

export const NoParams = z.object({}).strict();
/** A trait without attributes; other traits' attributes of the same device pass through. */
export const NoAttributes = z.object({});
export const finite = () => z.number().finite();

/** Throws OUT_OF_RANGE naming the allowed range, so a reply can say it. */
export function requireInRange(what: string, value: number, range: readonly [number, number], unit = ''): number {
  const [min, max] = range;
  if (value < min || value > max) {
    throw new StewardError('OUT_OF_RANGE', `${what} must be between ${min}${unit} and ${max}${unit}, got ${value}${unit}`, {
      min,
      max,
      value,
    });
  }
  return value;
}

export function requireOption(what: string, value: string, options: readonly string[]): string {
  if (!options.includes(value)) {
    throw new StewardError('INVALID_VALUE', `${what} must be one of ${options.join(', ')}, got ${value}`, { options, value });
  }
  return value;
}

export function clamp(value: number, range: readonly [number, number]): number {
  return Math.min(range[1], Math.max(range[0], value));
}

/** The current numeric value of a field, for relative commands. */
export function current(state: State, field: string, fallback: number): number {
  const v = state[field];
  return typeof v === 'number' ? v : fallback;
}

export const PERCENT: readonly [number, number] = [0, 100];
