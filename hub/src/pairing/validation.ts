import { createPublicKey, type KeyObject } from 'node:crypto';
import { StewardError } from '@steward/device-adapters';

type SafeParser<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };

/** a request body through its zod schema; BAD_REQUEST naming every bad field */
export function parseBody<T>(schema: SafeParser<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new StewardError('BAD_REQUEST', r.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; '));
}

/** an agent's public key: Ed25519 only, SPKI DER in base64 */
export function ed25519Key(b64: string): KeyObject {
  try {
    const key = createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ed25519') return key;
  } catch {
    // reported below
  }
  throw new StewardError('BAD_REQUEST', 'publicKey must be an Ed25519 public key (SPKI DER, base64)');
}
