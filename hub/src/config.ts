/**
 * The hub's configuration: hub-wide settings (data dir, log level) plus one slice per feature under the feature's
 * own key (`{ api: { port: 0 }, planner: { ... } }`), each validated by the feature's schema. Older callers (tests,
 * the benchmark runner) pass the flat shape below; `configure` maps its fields onto the built-in features' slices.
 * A new feature needs nothing here: its slice, flags and environment variables live in its own folder.
 */
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import type { FeatureConfig, FeatureOption } from './core/feature.ts';
import { ApiConfigSchema } from './api/feature.ts';
import { SecurityConfigSchema } from './auth/feature.ts';
import { BrokerConfigSchema } from './broker/feature.ts';
import { DemoConfigSchema } from './demo/feature.ts';
import { PairingFeatureConfigSchema } from './pairing/feature.ts';
import { PairingConfigSchema } from './pairing/config.ts';
import { StoreConfigSchema } from './store/feature.ts';
import { TransportConfigSchema } from './transport/feature.ts';

/** settings of the hub as a whole, not of one feature */
export const HubSettingsSchema = z
  .object({
    /** holds steward.db, the TLS certificate, admin-token and demo-credentials.json */
    dataDir: z.string().min(1).default('.data'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

/** flags of the hub as a whole (the CLI adds every feature's own) */
export const HUB_OPTIONS: readonly FeatureOption[] = [
  { flag: 'data-dir', field: 'dataDir', kind: 'string', value: 'D', help: 'where steward.db, the TLS certificate and admin-token live (default ./.data)' },
  { flag: 'log-level', field: 'logLevel', kind: 'string', value: 'LEVEL', help: 'fatal|error|warn|info|debug|trace|silent (default info; logs go to stderr: readable on a terminal, JSON otherwise; STEWARD_LOG_FORMAT=pretty|json chooses)' },
];

/** flat field → [feature key, slice field]: the built-in features' fields under the names older callers use */
const FLAT_FIELDS = {
  httpHost: ['api', 'host'],
  httpPort: ['api', 'port'],
  httpBodyLimitBytes: ['api', 'bodyLimitBytes'],
  mqttHost: ['broker', 'host'],
  mqttPort: ['broker', 'port'],
  mqttUrl: ['broker', 'url'],
  maxPacketBytes: ['broker', 'maxPacketBytes'],
  mdnsInterfaces: ['security', 'interfaces'],
  mqttsPort: ['security', 'mqttsPort'],
  httpsPort: ['pairing', 'httpsPort'],
  homeFile: ['store', 'homeFile'],
  demo: ['demo', 'enabled'],
  timeScale: ['demo', 'timeScale'],
  nodesOnlineTimeoutMs: ['demo', 'nodesOnlineTimeoutMs'],
  rpcTimeoutMs: ['transport', 'rpcTimeoutMs'],
} as const satisfies Record<string, readonly [string, string]>;

/** The flat configuration: each field's schema is the feature's own (one source of truth). */
export const HubConfigSchema = z
  .object({
    ...HubSettingsSchema.shape,
    httpHost: ApiConfigSchema.shape.host,
    httpPort: ApiConfigSchema.shape.port,
    httpBodyLimitBytes: ApiConfigSchema.shape.bodyLimitBytes,
    mqttHost: BrokerConfigSchema.shape.host,
    mqttPort: BrokerConfigSchema.shape.port,
    mqttUrl: BrokerConfigSchema.shape.url,
    maxPacketBytes: BrokerConfigSchema.shape.maxPacketBytes,
    mdnsInterfaces: SecurityConfigSchema.shape.interfaces,
    mqttsPort: SecurityConfigSchema.shape.mqttsPort,
    httpsPort: PairingFeatureConfigSchema.shape.httpsPort,
    /** the pairing feature's limits (windowMs, maxFailures, rateLimit...): its slice, under the same key */
    pairing: PairingConfigSchema.optional(),
    homeFile: StoreConfigSchema.shape.homeFile,
    demo: DemoConfigSchema.shape.enabled,
    timeScale: DemoConfigSchema.shape.timeScale,
    nodesOnlineTimeoutMs: DemoConfigSchema.shape.nodesOnlineTimeoutMs,
    rpcTimeoutMs: TransportConfigSchema.shape.rpcTimeoutMs,
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.demo && !c.homeFile) ctx.addIssue({ code: 'custom', path: ['homeFile'], message: 'the demo needs a home file' });
  });

export type HubConfig = z.infer<typeof HubConfigSchema>;
export type HubConfigInput = z.input<typeof HubConfigSchema>;

function problems(error: z.ZodError, prefix?: string): string {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'config'}: ${i.message}`).join('; ');
}

/** Validates a flat configuration; the error names every bad field so a CLI can print it as is. */
export function parseHubConfig(input: unknown): HubConfig {
  const r = HubConfigSchema.safeParse(input);
  if (!r.success) throw new StewardError('BAD_REQUEST', `invalid hub configuration: ${problems(r.error)}`);
  return r.data;
}

/** what `configure` needs of a feature: its slice */
interface Configurable {
  readonly config?: FeatureConfig;
}

export interface HubSettings {
  /** the flat view of the built-in features' settings (the CLI's banner, `hub.config`) */
  flat: HubConfig;
  /** each feature's validated slice, by its key */
  slices: Record<string, unknown>;
}

/**
 * Splits a configuration into flat fields (each fills a built-in feature's slice field) and slices under feature
 * keys (`{ planner: {...} }`, which win over flat fields), and validates each slice with its feature's schema.
 * A key that is neither is an error, as is a bad value: BAD_REQUEST naming every bad field.
 */
export function configure(features: readonly Configurable[], input: Record<string, unknown>): HubSettings {
  const flatInput: Record<string, unknown> = {};
  const nested: Record<string, Record<string, unknown>> = {};
  const keys = new Set(features.flatMap((f) => (f.config ? [f.config.key] : [])));
  for (const [k, v] of Object.entries(input)) {
    // `demo: true` is the flat field, `demo: { timeScale }` the slice; `pairing: {...}` is the slice in both shapes
    const object = typeof v === 'object' && v !== null && !Array.isArray(v);
    if (keys.has(k) && object) nested[k] = v as Record<string, unknown>;
    else if (k in HubConfigSchema.shape) flatInput[k] = v;
    else throw new StewardError('BAD_REQUEST', `invalid hub configuration: ${k}: no such setting or feature slice (features: ${[...keys].join(', ')})`);
  }
  const flat = parseHubConfig(flatInput);
  const fromFlat: Record<string, Record<string, unknown>> = {};
  for (const [name, [key, field]] of Object.entries(FLAT_FIELDS)) (fromFlat[key] ??= {})[field] = flat[name as keyof typeof FLAT_FIELDS];
  const slices: Record<string, unknown> = {};
  const bad: string[] = [];
  for (const { config } of features) {
    if (!config) continue;
    const r = config.schema.safeParse({ ...fromFlat[config.key], ...nested[config.key] });
    if (r.success) slices[config.key] = r.data;
    else bad.push(problems(r.error, config.key));
  }
  if (bad.length > 0) throw new StewardError('BAD_REQUEST', `invalid hub configuration: ${bad.join('; ')}`);
  // the flat view shows what the features run with, also when the settings came as slices
  const view: Record<string, unknown> = { ...flat };
  for (const [name, [key, field]] of Object.entries(FLAT_FIELDS)) {
    const slice = slices[key] as Record<string, unknown> | undefined;
    if (slice) view[name] = slice[field];
  }
  return { flat: view as HubConfig, slices };
}
