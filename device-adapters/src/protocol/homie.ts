import { z } from 'zod';
import { deviceIdToHomie, fieldToHomie } from '../ids.ts';
import { fieldsOf } from '../device.ts';
import type { DeviceDescriptor } from '../home.ts';
import type { FieldSpec, Value } from '../trait.ts';

/** Homie 5 `$state` values. `lost` is the last will. */
export const HomieStateSchema = z.enum(['init', 'ready', 'disconnected', 'sleeping', 'lost']);
export type HomieState = z.infer<typeof HomieStateSchema>;

const PropertySchema = z.object({
  name: z.string().optional(),
  datatype: z.enum(['integer', 'float', 'boolean', 'string', 'enum', 'color', 'datetime', 'duration', 'json']),
  format: z.string().optional(),
  settable: z.boolean().optional(),
  retained: z.boolean().optional(),
  unit: z.string().optional(),
});
const HomieNodeSchema = z.object({ name: z.string().optional(), type: z.string().optional(), properties: z.record(z.string(), PropertySchema) });

/** Homie 5 `$description` (the parts we publish and read). */
export const HomieDescriptionSchema = z.object({
  homie: z.literal('5.0'),
  version: z.number().int(),
  name: z.string().optional(),
  type: z.string().optional(),
  nodes: z.record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/), HomieNodeSchema),
});
export type HomieDescription = z.infer<typeof HomieDescriptionSchema>;

function format(spec: FieldSpec, attributes: Record<string, unknown>): string | undefined {
  if (spec.datatype === 'enum') return spec.options?.(attributes).join(',');
  const r = spec.range?.(attributes);
  return r ? `${r[0]}:${r[1]}` : undefined;
}

/** Builds a node agent's `$description`: one Homie node per device, one property per state field. */
export function buildDescription(name: string, type: string, devices: readonly DeviceDescriptor[]): HomieDescription {
  const nodes: HomieDescription['nodes'] = {};
  for (const d of devices) {
    const properties: HomieDescription['nodes'][string]['properties'] = {};
    for (const [field, spec] of Object.entries(fieldsOf(d))) {
      const f = format(spec, d.attributes);
      properties[fieldToHomie(field)] = {
        name: field,
        datatype: spec.datatype,
        ...(f ? { format: f } : {}),
        settable: !spec.readOnly,
        retained: true,
        ...(spec.unit ? { unit: spec.unit } : {}),
      };
    }
    nodes[deviceIdToHomie(d.id)] = { name: d.names.en?.[0] ?? d.id, type: `steward:${d.type}`, properties };
  }
  // version: a stable hash of the content, so a controller can tell when the description changed (Homie 5)
  const body = JSON.stringify(nodes);
  let h = 0;
  for (let i = 0; i < body.length; i++) h = (Math.imul(h, 31) + body.charCodeAt(i)) | 0;
  return { homie: '5.0', version: Math.abs(h), name, type, nodes };
}

/**
 * Homie payloads are strings: booleans `true`/`false`, numbers in decimal, enums and strings as they are.
 * `null` ("no app open", "no destination") is an empty payload, which for a retained message also clears it.
 */
export function encodeValue(value: Value): string {
  if (value === null) return '';
  return String(value);
}

/** Decodes a Homie payload for a field; undefined when the payload is not a valid value of that datatype. */
export function decodeValue(spec: Pick<FieldSpec, 'datatype' | 'nullable'>, payload: string): Value | undefined {
  if (payload === '') return spec.datatype === 'string' || spec.datatype === 'enum' || spec.nullable ? null : undefined;
  switch (spec.datatype) {
    case 'boolean':
      return payload === 'true' ? true : payload === 'false' ? false : undefined;
    case 'integer':
      return /^-?\d+$/.test(payload) ? Number(payload) : undefined;
    case 'float':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(payload) ? Number(payload) : undefined;
    default:
      return payload;
  }
}
