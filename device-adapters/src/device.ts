import { StewardError } from './errors.ts';
import { TRAITS, type TraitId } from './traits/index.ts';
import type { Attributes, CommandSpec, FieldSpec, Need, State, TraitSpec, Value } from './trait.ts';
import { DEVICE_TYPES, type DeviceTypeSpec } from './device-types.ts';

/** What the device model needs to know of a device: its traits and attributes. */
export interface DeviceShape {
  id: string;
  traits: readonly TraitId[];
  attributes: Attributes;
}

export interface DeviceField extends FieldSpec {
  trait: TraitId;
}

const fieldCache = new WeakMap<object, Record<string, DeviceField>>();

/** Every state field of a device, from its traits. */
export function fieldsOf(device: DeviceShape): Record<string, DeviceField> {
  const cached = fieldCache.get(device);
  if (cached) return cached;
  const out: Record<string, DeviceField> = {};
  for (const t of device.traits) {
    for (const [name, spec] of Object.entries(TRAITS[t].fields) as [string, FieldSpec][]) out[name] = { ...spec, trait: t };
  }
  fieldCache.set(device, out);
  return out;
}

/** The needs a device serves ("too hot": cool), from its traits and its type (see `TraitSpec.serves`). */
export function needsServed(device: DeviceShape & { type?: string }): Need[] {
  const out = new Set<Need>();
  for (const t of device.traits) for (const n of (TRAITS[t] as TraitSpec).serves?.(device.attributes) ?? []) out.add(n);
  const type = device.type ? (DEVICE_TYPES as Record<string, DeviceTypeSpec>)[device.type] : undefined;
  for (const n of type?.serves ?? []) out.add(n);
  return [...out];
}

/** Names of every command a device accepts. */
export function commandsOf(device: DeviceShape): string[] {
  return device.traits.flatMap((t) => Object.keys(TRAITS[t].commands));
}

/** Which trait of any kind defines this command name (command names are unique across traits). */
const COMMAND_INDEX: Map<string, TraitId> = (() => {
  const index = new Map<string, TraitId>();
  for (const [id, trait] of Object.entries(TRAITS)) {
    for (const name of Object.keys(trait.commands)) {
      if (index.has(name)) throw new Error(`command ${name} is defined by both ${index.get(name)} and ${id}`);
      index.set(name, id as TraitId);
    }
  }
  return index;
})();

export function isKnownCommand(command: string): boolean {
  return COMMAND_INDEX.has(command);
}

export function findCommand(device: DeviceShape, command: string): { trait: TraitId; spec: CommandSpec } {
  const trait = COMMAND_INDEX.get(command);
  if (!trait) throw new StewardError('UNKNOWN_COMMAND', `unknown command ${command}`);
  if (!device.traits.includes(trait)) {
    throw new StewardError('UNSUPPORTED_COMMAND', `${device.id} has no ${trait} trait, so it cannot ${command}`);
  }
  return { trait, spec: (TRAITS[trait].commands as Record<string, CommandSpec>)[command]! };
}

/**
 * Validates a command for a device and returns the state it asks for (a patch). The same function serves the
 * simulated driver (to apply it), a real driver (to check before talking to hardware) and the hub (to predict
 * what a command would change, for confirmation rules).
 */
export function commandEffect(device: DeviceShape, state: State, command: string, params: unknown): State {
  const { spec } = findCommand(device, command);
  const parsed = spec.params.safeParse(params ?? {});
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
    throw new StewardError('BAD_REQUEST', `invalid parameters for ${command}: ${why}`);
  }
  return spec.effect({ params: parsed.data, state, attributes: device.attributes });
}

function valueProblem(field: string, spec: FieldSpec, value: Value, attributes: Attributes): string | undefined {
  if (value === null) return spec.nullable ? undefined : `${field} cannot be null`;
  switch (spec.datatype) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${field} must be true or false`;
    case 'integer':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${field} must be a number`;
      const range = spec.range?.(attributes);
      if (range && (value < range[0] || value > range[1])) return `${field} must be between ${range[0]} and ${range[1]}`;
      return undefined;
    }
    case 'enum': {
      if (typeof value !== 'string') return `${field} must be a string`;
      const options = spec.options?.(attributes);
      return options && !options.includes(value) ? `${field} must be one of ${options.join(', ')}` : undefined;
    }
    case 'string':
      return typeof value === 'string' ? undefined : `${field} must be a string`;
  }
}

/**
 * Problems with a state for a device: unknown fields, wrong types, values out of range; with `complete`, missing
 * fields (optional ones may be missing).
 */
export function validateState(device: DeviceShape, state: State, opts: { complete: boolean }): string[] {
  const fields = fieldsOf(device);
  const problems: string[] = [];
  for (const [field, value] of Object.entries(state)) {
    const spec = fields[field];
    if (!spec) problems.push(`unknown field ${field}`);
    else {
      const p = valueProblem(field, spec, value, device.attributes);
      if (p) problems.push(p);
    }
  }
  if (opts.complete) for (const [f, spec] of Object.entries(fields)) if (!spec.optional && !(f in state)) problems.push(`missing field ${f}`);
  return problems;
}
