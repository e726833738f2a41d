/**
 * The dashboard's controls, generated from each device's trait fields (the device model is the one source): a
 * field's type, unit, range and options, and how to set it as a direct command, so a switch, slider, colour or
 * mode select posts to `POST /api/devices/:id/commands` like any other client and meets the same confirmation rules.
 */
import { z } from 'zod';
import { zhOptionWord } from '../understanding/replies/zh.ts';
import { AreaSchema, fieldsOf, type CommandCall, type DeviceField, type DeviceShape } from '@steward/device-adapters';

const CommandCallSchema = z.object({ command: z.string(), params: z.record(z.string(), z.unknown()) });

export const FieldControlSchema = z.object({
  trait: z.string(),
  field: z.string(),
  datatype: z.enum(['boolean', 'integer', 'float', 'string', 'enum']),
  unit: z.string().optional(),
  readOnly: z.boolean(),
  range: z.tuple([z.number(), z.number()]).optional(),
  options: z.array(z.string()).optional(),
  /** the options' words by language where the engine's vocabulary has them (`{ zh: { cool: "制冷" } }`) */
  optionWords: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  /** absent: read-only, or no single command sets it */
  set: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('boolean'), on: CommandCallSchema, off: CommandCallSchema }),
      z.object({ kind: z.literal('enum'), calls: z.record(z.string(), CommandCallSchema) }),
      /** the value goes into `params[param]` of `command` */
      z.object({ kind: z.literal('number'), command: z.string(), param: z.string() }),
    ])
    .optional(),
});
export type FieldControl = z.infer<typeof FieldControlSchema>;

/** every device's controls by id, and the home's areas (a device moves to one of them; their names head the groups) */
export const ControlsResponseSchema = z.object({ devices: z.record(z.string(), z.array(FieldControlSchema)), areas: z.array(AreaSchema) });

// a value no range holds by chance: the parameter that carries it is the one a number goes into
const PROBE = 0.123456789;

function setter(spec: DeviceField, options: readonly string[] | undefined): FieldControl['set'] {
  const set = spec.set;
  if (!set || spec.readOnly) return undefined;
  const call = (v: boolean | number | string): CommandCall => set(v);
  if (spec.datatype === 'boolean') return { kind: 'boolean', on: call(true), off: call(false) };
  if (spec.datatype === 'enum' && options && options.length > 0) return { kind: 'enum', calls: Object.fromEntries(options.map((o) => [o, call(o)])) };
  if (spec.datatype === 'integer' || spec.datatype === 'float') {
    const probe = call(PROBE);
    const param = Object.entries(probe.params).find(([, v]) => v === PROBE)?.[0];
    return param ? { kind: 'number', command: probe.command, param } : undefined;
  }
  return undefined;
}

/** One device's fields as controls, in trait order. A field whose spec cannot be evaluated is shown read-only. */
export function fieldControls(device: DeviceShape): FieldControl[] {
  return Object.entries(fieldsOf(device)).map(([field, spec]) => {
    const base: FieldControl = { trait: spec.trait, field, datatype: spec.datatype, readOnly: spec.readOnly === true };
    if (spec.unit) base.unit = spec.unit;
    try {
      const range = spec.range?.(device.attributes);
      if (range) base.range = [range[0], range[1]];
      const options = spec.options?.(device.attributes);
      if (options) {
        base.options = [...options];
        const zhWords = options.flatMap((o) => {
          const w = zhOptionWord(field, o);
          return w ? [[o, w] as const] : [];
        });
        if (zhWords.length > 0) base.optionWords = { zh: Object.fromEntries(zhWords) };
      }
      const set = setter(spec, options);
      if (set) base.set = set;
    } catch {
      // attributes the spec cannot read: the value is still shown
    }
    return base;
  });
}
