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
}

/**
 * Needs people state instead of commands ("it's too hot", "太暗了", "I'm cold"): which devices can answer them is
 * data on the trait (and on the device type), so understanding never lists device kinds for a need.
 */
export const NEEDS = ['cool', 'warm', 'light'] as const;
export type Need = (typeof NEEDS)[number];

export interface TraitSpec {
  id: string;
  summary: string;
  attributes: z.ZodObject<z.ZodRawShape>;
  fields: Record<string, FieldSpec>;
  commands: Record<string, CommandSpec>;
  /** the needs a device with this trait serves, given its attributes */
  serves?: (attributes: Attributes) => readonly Need[];
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
