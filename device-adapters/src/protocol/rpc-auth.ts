/**
 * Proof that a `command` RPC came from the hub: an HMAC-SHA256, with a secret only the hub and that node hold, over
 * the node id, device, command, parameters, request id and a timestamp. A node runs a change its `confirm` rules
 * list (unlock, open) only with a valid proof, so on a broker without the hub's ACL (an external Mosquitto) nobody
 * else can unlock the door by publishing an RPC request. The secret is set at pairing (inside the sealed box) and
 * provisioned for the demo's nodes with their credentials.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const RPC_AUTH_VERSION = 1;
/** a secret is 32 random bytes, base64url (43 characters) */
export const RpcSecretSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an RPC secret is 32 bytes in base64url (43 characters)');
/** how far a request's timestamp may be from the node's clock (both ways) */
export const RPC_AUTH_MAX_SKEW_MS = 30_000;

export const RpcAuthSchema = z
  .object({
    v: z.literal(RPC_AUTH_VERSION),
    /** ms since the epoch, the hub's clock when it signed */
    ts: z.number().int().nonnegative(),
    /** hex HMAC-SHA256 */
    mac: z.string().regex(/^[0-9a-f]{64}$/, 'mac is 64 lower-case hex digits'),
  })
  .strict();
export type RpcAuth = z.infer<typeof RpcAuthSchema>;

export interface SignedFields {
  nodeId: string;
  id: string;
  deviceId: string;
  command: string;
  params: Record<string, unknown>;
}

export function newRpcSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** JSON with object keys sorted at every level, so both ends hash the same bytes whatever order the params came in */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function mac(secret: string, f: SignedFields, ts: number): Buffer {
  const message = canonicalJson(['steward-rpc', RPC_AUTH_VERSION, f.nodeId, f.deviceId, f.command, f.params, f.id, ts]);
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(message).digest();
}

export function signCommand(secret: string, f: SignedFields, now: number = Date.now()): RpcAuth {
  return { v: RPC_AUTH_VERSION, ts: now, mac: mac(secret, f, now).toString('hex') };
}

/** why a proof is refused, or undefined when it holds (freshness and replay are the caller's: it keeps the seen ids) */
export function checkCommandMac(secret: string, f: SignedFields, auth: RpcAuth): string | undefined {
  const expected = mac(secret, f, auth.ts);
  const given = Buffer.from(auth.mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'its signature does not match';
}
