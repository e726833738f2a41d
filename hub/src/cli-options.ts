/**
 * The command line from the features: each feature's options (`HubFeature.config.options`) become flags and
 * `STEWARD_<FLAG>` environment variables, and its lines in --help. A flag beats its environment variable.
 */
import { parseArgs } from 'node:util';
import { envName, type FeatureOption } from './core/feature.ts';

/** a feature's options under its slice key; `key` undefined for the hub-wide settings */
export interface OptionGroup {
  key: string | undefined;
  options: readonly FeatureOption[];
}

export class UsageError extends Error {}

/** `  --http-port P        HTTP API port (...)  [STEWARD_HTTP_PORT]` */
export function optionsHelp(groups: readonly OptionGroup[]): string {
  return groups
    .flatMap((g) => g.options)
    .map((o) => {
      const head = `--${o.flag}${o.value ? ` ${o.value}` : ''}`;
      return `  ${head.padEnd(20)} ${o.help} [${envName(o.flag)}]`;
    })
    .join('\n');
}

function value(o: FeatureOption, raw: string | boolean | string[]): unknown {
  switch (o.kind) {
    case 'boolean':
      return typeof raw === 'boolean' ? !o.negate === raw : o.negate ? !/^(1|true|yes)$/i.test(raw as string) : /^(1|true|yes)$/i.test(raw as string);
    case 'number': {
      const n = Number(raw);
      if (String(raw).trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${o.flag} must be a number, got "${String(raw)}"`);
      return n;
    }
    case 'list':
      // a flag may repeat and each value may list several, like the environment variable: --x a,b --x c
      return (Array.isArray(raw) ? raw : [raw]).flatMap((r) => String(r).split(',')).map((s) => s.trim()).filter(Boolean);
    default:
      return String(raw);
  }
}

/**
 * Parses `argv` (and `env`) into a configuration input: hub-wide fields at the top, each feature's under its key.
 * Unknown flags are a UsageError; `extra` are flags the CLI handles itself (`help`).
 */
export function readOptions(
  groups: readonly OptionGroup[],
  argv: string[],
  env: NodeJS.ProcessEnv,
  extra: Record<string, { type: 'boolean' | 'string'; short?: string }> = {},
): { input: Record<string, unknown>; extra: Record<string, unknown> } {
  const spec: Record<string, { type: 'boolean' | 'string'; multiple?: boolean; short?: string }> = { ...extra };
  for (const o of groups.flatMap((g) => g.options)) spec[o.flag] = { type: o.kind === 'boolean' ? 'boolean' : 'string', ...(o.kind === 'list' ? { multiple: true } : {}) };
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: spec, strict: true }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const input: Record<string, unknown> = {};
  for (const g of groups) {
    const target: Record<string, unknown> = g.key === undefined ? input : ((input[g.key] as Record<string, unknown> | undefined) ?? {});
    for (const o of g.options) {
      const raw = values[o.flag] ?? env[envName(o.flag)];
      if (raw !== undefined) target[o.field] = value(o, raw as string | boolean | string[]);
      else if (o.cliDefault !== undefined) target[o.field] = o.cliDefault;
    }
    if (g.key !== undefined && Object.keys(target).length > 0) input[g.key] = target;
  }
  return { input, extra: Object.fromEntries(Object.keys(extra).map((k) => [k, values[k]])) };
}
