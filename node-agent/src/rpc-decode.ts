import type { z } from 'zod';
import { LIMITS, RPC_METHODS, RPC_REQUEST_SCHEMAS, StewardError, TxnIdSchema, type RpcMethod } from '@steward/device-adapters';

export type RpcRequest = { [M in RpcMethod]: { method: M; body: z.infer<(typeof RPC_REQUEST_SCHEMAS)[M]> } }[RpcMethod];

/** A request the agent can act on, or why not, with the transaction id when one could be recovered for a reply. */
export type Decoded = { ok: true; request: RpcRequest } | { ok: false; id: string | undefined; error: StewardError };

/** how much of an oversized or malformed payload is searched for its id */
const ID_SCAN_BYTES = 4096;
const ID_PATTERN = /"id"\s*:\s*"((?:[^"\\]|\\.){1,64})"/;

/** Finds `"id": "..."` in text that is not valid (or not allowed) JSON, so even a bad request can be answered. */
export function recoverId(text: string): string | undefined {
  const m = ID_PATTERN.exec(text.slice(0, ID_SCAN_BYTES));
  if (!m) return undefined;
  try {
    const id: unknown = JSON.parse(`"${m[1]}"`);
    return TxnIdSchema.safeParse(id).success ? (id as string) : undefined;
  } catch {
    return undefined;
  }
}

function isRpcMethod(m: string): m is RpcMethod {
  return (RPC_METHODS as readonly string[]).includes(m);
}

/**
 * Checks a request in the order that costs least first: method, size (before parsing anything), JSON, schema.
 */
export function decodeRequest(method: string, payload: Buffer): Decoded {
  if (payload.length > LIMITS.rpcPayloadBytes) {
    const message = `request of ${payload.length} bytes is larger than the limit of ${LIMITS.rpcPayloadBytes} bytes`;
    return { ok: false, id: recoverId(payload.subarray(0, ID_SCAN_BYTES).toString('utf8')), error: new StewardError('PAYLOAD_TOO_LARGE', message) };
  }
  const text = payload.toString('utf8');
  if (!isRpcMethod(method)) {
    return { ok: false, id: recoverId(text), error: new StewardError('BAD_REQUEST', `unknown RPC method ${method}; use one of ${RPC_METHODS.join(', ')}`) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, id: recoverId(text), error: new StewardError('BAD_REQUEST', `malformed JSON: ${(e as Error).message}`) };
  }
  const parsed = RPC_REQUEST_SCHEMAS[method].safeParse(json);
  if (!parsed.success) {
    const rawId = (json as { id?: unknown } | null)?.id;
    const id = TxnIdSchema.safeParse(rawId).success ? (rawId as string) : undefined;
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
    return { ok: false, id, error: new StewardError('BAD_REQUEST', `invalid ${method} request: ${why}`) };
  }
  return { ok: true, request: { method, body: parsed.data } as RpcRequest };
}
