/**
 * A feature's command-line options written beside its fields: the flag is `<prefix>-<field in kebab case>` (so
 * `sttModelDir` under `voice` is `--voice-stt-model-dir` and STEWARD_VOICE_STT_MODEL_DIR) and the kind is read from
 * the field's zod type, so a flag cannot name another field or parse its value as another kind than the schema's.
 */
import type { z } from 'zod';
import type { FeatureConfig, FeatureOption } from './feature.ts';

/** `[placeholder, help]`, or the option's other parts where it is unusual (a flag of its own, `negate`, `cliDefault`) */
export type OptionLine = readonly [value: string, help: string] | (Omit<FeatureOption, 'field' | 'kind' | 'flag'> & { flag?: string });

export function fieldOptions<S extends z.ZodObject>(schema: S, prefix: string, lines: { [K in keyof z.input<S> & string]?: OptionLine }): FeatureOption[] {
  return Object.entries(lines as Record<string, OptionLine>).map(([field, line]) => {
    const kind = kindOf(schema.shape[field], field);
    const flag = `${prefix}-${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (isPair(line)) return { flag, field, kind, value: line[0], help: line[1] };
    return { flag, field, kind, ...line };
  });
}

function isPair(line: OptionLine): line is readonly [string, string] {
  return Array.isArray(line);
}

/** the option kind of a field's type, through optional, default and nullable wrappers */
function kindOf(type: z.ZodType | undefined, field: string): FeatureOption['kind'] {
  let t = type as { def: { type: string; innerType?: z.ZodType } } | undefined;
  while (t && (t.def.type === 'optional' || t.def.type === 'default' || t.def.type === 'nullable' || t.def.type === 'prefault')) t = t.def.innerType as typeof t;
  switch (t?.def.type) {
    case 'string':
    case 'enum':
    case 'literal':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'list';
    default:
      // a programming error in a feature's declaration: the hub does not start with it
      throw new Error(`option for ${field}: the schema has no field of a kind a flag can set (${t?.def.type ?? 'none'})`);
  }
}

/** A feature's configuration slice whose flags are prefixed with its key (`--history-...` for `history`). */
export function keyedConfig<S extends z.ZodObject>(key: string, schema: S, lines: { [K in keyof z.input<S> & string]?: OptionLine }): FeatureConfig<S> {
  return { key, schema, options: fieldOptions(schema, key, lines) };
}
