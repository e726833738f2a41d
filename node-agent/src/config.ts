import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { VadOptionsSchema } from './voice/vad.ts';
import { ConfirmRuleSchema, DeviceDescriptorSchema, NODE_ID, NodeKindSchema, RpcSecretSchema, StateSchema, StewardError, validateState } from '@steward/device-adapters';

/**
 * A device's driver: a module exporting `createDriver(device, initialState, options)`. A relative path is taken
 * from the config file's folder; a package name (`@steward/simulators/driver-module.ts`) or file URL as it is.
 */
export const DriverRefSchema = z
  .object({ module: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) })
  .strict();

export const AgentDeviceSchema = z
  .object({
    descriptor: DeviceDescriptorSchema,
    state: StateSchema,
    driver: DriverRefSchema,
    /** the home's confirmation rules for this device; its type's defaults (a lock's unlock) apply anyway */
    confirm: z.array(ConfirmRuleSchema).default([]),
  })
  .strict();

const MqttUrlSchema = z.string().refine((s) => {
  try {
    return ['mqtt:', 'mqtts:', 'tcp:', 'tls:', 'ws:', 'wss:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, 'must be a URL such as mqtt://127.0.0.1:1883');

export const MqttSettingsSchema = z
  .object({
    url: MqttUrlSchema,
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /**
     * mqtts:// to a hub pairing pinned: its certificate is the only trust anchor and its SHA-256 must match
     * (hubs are reached by address, so the fingerprint replaces the host name check)
     */
    tls: z
      .object({
        ca: z.string().startsWith('-----BEGIN CERTIFICATE-----', 'ca is a PEM certificate'),
        fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'fingerprint is the SHA-256 of the certificate, 64 lower-case hex digits'),
      })
      .strict()
      .optional(),
    /** default `steward-agent-<node id>` */
    clientId: z.string().min(1).max(128).optional(),
    keepaliveS: z.number().int().min(5).max(3600).default(30),
    /**
     * reconnect delay: starts at minMs, doubles after each failed attempt, never exceeds maxMs. The broker is
     * usually the hub's own, so a lost connection is usually a hub restarting: capped at 2 s, an agent is back within
     * 2 s of the hub however long it was away (with 30 s, a hub down for 4 s waited up to 8 s for its agents:
     * npm run bench:faults). One connection attempt every 2 s costs a broker nothing.
     */
    reconnect: z
      .object({ minMs: z.number().int().min(50).default(500), maxMs: z.number().int().min(50).default(2000) })
      .strict()
      .default({ minMs: 500, maxMs: 2000 }),
  })
  .strict();

export const AgentConfigSchema = z
  .object({
    mqtt: MqttSettingsSchema,
    node: z.object({ id: z.string().regex(NODE_ID, 'node ids are Homie ids: a-z, 0-9 and -'), name: z.string().min(1), kind: NodeKindSchema }).strict(),
    devices: z.array(AgentDeviceSchema).default([]),
    /**
     * discovery modules (`createDiscovery(options, context)`, device-adapters/src/discovery.ts): devices found after
     * pairing, announced to the hub and hosted once the owner adopts them
     */
    discovery: z.array(DriverRefSchema).max(8, 'at most 8 discovery modules').default([]),
    /** the node's data folder (absolute): adopted devices and each ecosystem's secrets live here; needed by discovery */
    dataDir: z.string().startsWith('/', 'dataDir is an absolute path').optional(),
    /**
     * the secret the hub signs `command` RPCs with (set at pairing, provisioned for the demo): a confirm-listed
     * change runs only with the hub's valid signature; without a secret, never
     */
    rpcSecret: RpcSecretSchema.optional(),
    /** a streaming microphone's voice activity detection (voice/vad.ts; defaults fit a quiet room or car) */
    voice: z.object({ vad: VadOptionsSchema.prefault({}) }).strict().prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.discovery.length > 0 && config.dataDir === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dataDir'], message: 'discovery needs dataDir, the folder where the node keeps its adopted devices' });
    }
    const seen = new Set<string>();
    config.devices.forEach((d, i) => {
      if (seen.has(d.descriptor.id)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'descriptor', 'id'], message: `duplicate device id ${d.descriptor.id}` });
      seen.add(d.descriptor.id);
      for (const problem of validateState(d.descriptor, d.state, { complete: true })) {
        ctx.addIssue({ code: 'custom', path: ['devices', i, 'state'], message: `${d.descriptor.id}: ${problem}` });
      }
    });
  });

export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;
export type AgentDevice = z.infer<typeof AgentDeviceSchema>;

export function parseAgentConfig(raw: unknown, source = 'agent config'): AgentConfig {
  const r = AgentConfigSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new StewardError('BAD_REQUEST', `invalid ${source}:\n${lines.join('\n')}`);
  }
  return r.data;
}

/** Reads a config file; `baseDir` is where relative driver modules are found. */
export function loadAgentConfig(path: string): { config: AgentConfig; baseDir: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new StewardError('BAD_REQUEST', `cannot read agent config ${path}: ${(e as Error).message}`);
  }
  return { config: parseAgentConfig(raw, `agent config ${path}`), baseDir: dirname(resolve(path)) };
}

export interface ConfigOverrides {
  url?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

/** Command-line flags win over the file; the result is validated again. */
export function withOverrides(config: AgentConfig, o: ConfigOverrides): AgentConfig {
  const mqtt = { ...config.mqtt };
  if (o.url !== undefined) mqtt.url = o.url;
  if (o.username !== undefined) mqtt.username = o.username;
  if (o.password !== undefined) mqtt.password = o.password;
  return parseAgentConfig({ ...config, mqtt }, 'agent config (with flags)');
}
