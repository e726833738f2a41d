import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { DEVICE_ID, DeviceDescriptorSchema, NodeKindSchema, RpcSecretSchema, StateSchema, StewardError } from '@steward/device-adapters';
import { FINGERPRINT, FriendlyNameSchema, HUB_ID, PAIRED_NODE_ID } from '@steward/device-adapters/protocol/pairing.ts';
import { DriverRefSchema } from '../config.ts';
import { CREDENTIALS_FILE, NODE_FILE, dataFile, ensureDataDir, writePrivateFile } from './files.ts';

/** `<data-dir>/credentials.json` (0600): what pairing gave this agent, and the hub certificate it pinned */
export const AgentCredentialsSchema = z
  .object({
    version: z.literal(1),
    nodeId: z.string().regex(PAIRED_NODE_ID),
    hubId: z.string().regex(HUB_ID),
    hub: z
      .object({
        host: z.string().min(1),
        httpsPort: z.number().int().min(1).max(65535),
        mqttsPort: z.number().int().min(1).max(65535),
        fingerprint: z.string().regex(FINGERPRINT),
        certPem: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
      })
      .strict(),
    mqtt: z.object({ username: z.string().min(1), password: z.string().min(16) }).strict(),
    /** the hub signs commands with it; without it the agent refuses confirm-listed changes (pair again) */
    rpcSecret: RpcSecretSchema.optional(),
    pairedAt: z.string(),
  })
  .strict();
export type AgentCredentials = z.infer<typeof AgentCredentialsSchema>;

/** `<data-dir>/node.json`: the node and the devices it declared when pairing (and hosts when started) */
export const NodeFileSchema = z
  .object({
    name: z.string().min(1).max(60),
    kind: NodeKindSchema,
    devices: z.array(
      z.object({ descriptor: DeviceDescriptorSchema, state: StateSchema, area: z.union([z.string().regex(DEVICE_ID), FriendlyNameSchema]).optional(), driver: DriverRefSchema }).strict(),
    ),
    /** discovery modules (devices found after pairing, adopted on the hub); options may be edited here */
    discovery: z.array(DriverRefSchema).max(8).default([]),
  })
  .strict();
export type NodeFile = z.infer<typeof NodeFileSchema>;
export type NodeFileInput = z.input<typeof NodeFileSchema>;

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new StewardError('BAD_REQUEST', `cannot read ${path}: ${(e as Error).message}`);
  }
}

function parseOr<T>(schema: z.ZodType<T>, raw: unknown, path: string): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new StewardError('BAD_REQUEST', `invalid ${path}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function writeAgentCredentials(dataDir: string, creds: AgentCredentials): string {
  ensureDataDir(dataDir);
  const path = dataFile(dataDir, CREDENTIALS_FILE);
  writePrivateFile(path, `${JSON.stringify(AgentCredentialsSchema.parse(creds), null, 2)}\n`);
  return path;
}

/** The stored credentials; refuses a file others can read (like ssh does with keys). */
export function readAgentCredentials(dataDir: string): AgentCredentials {
  const path = dataFile(dataDir, CREDENTIALS_FILE);
  if (!existsSync(path)) throw new StewardError('NOT_FOUND', `${dataDir} holds no credentials: pair first (steward-agent pair --code CODE --data-dir ${dataDir})`);
  if ((statSync(path).mode & 0o077) !== 0) throw new StewardError('BAD_REQUEST', `${path} is readable by others: chmod 600 it`);
  return parseOr(AgentCredentialsSchema, readJson(path), path);
}

export function writeNodeFile(dataDir: string, node: NodeFileInput): string {
  ensureDataDir(dataDir);
  const path = dataFile(dataDir, NODE_FILE);
  writePrivateFile(path, `${JSON.stringify(NodeFileSchema.parse(node), null, 2)}\n`);
  return path;
}

export function readNodeFile(dataDir: string): NodeFile | undefined {
  const path = dataFile(dataDir, NODE_FILE);
  return existsSync(path) ? parseOr(NodeFileSchema, readJson(path), path) : undefined;
}
