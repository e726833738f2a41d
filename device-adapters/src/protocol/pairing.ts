/**
 * Pairing protocol shared by the hub and the node agent (issue 5): discovery TXT hints, the QR payload, the HTTPS
 * messages and the small crypto constructions both ends must compute identically. node:crypto only, so the agent
 * stays light. Imported by subpath (`@steward/device-adapters/protocol/pairing.ts`).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DEVICE_ID } from '../ids.ts';
import { DeviceDescriptorSchema, NodeKindSchema } from '../home.ts';
import { StateSchema } from '../trait.ts';
import { StewardError } from '../errors.ts';
import { RpcSecretSchema } from './rpc-auth.ts';

export const PAIRING_PROTOCOL_VERSION = 1;
/** ciao service type: advertised as `_steward._tcp.local` */
export const MDNS_SERVICE_TYPE = 'steward';
export const MDNS_SERVICE_NAME = '_steward._tcp.local';
/** SRP-6a user name, as HomeKit's Pair-Setup; the password is the pairing code */
export const SRP_IDENTITY = 'Pair-Setup';

/** SHA-256 of a certificate's DER, lower-case hex without separators */
export const FINGERPRINT = /^[0-9a-f]{64}$/;
export const HUB_ID = /^h-[a-z2-7]{16}$/;
/** a paired node's id: `n-` + base32 of the first 10 bytes of SHA-256(public key), a valid Homie id */
export const PAIRED_NODE_ID = /^n-[a-z2-7]{16}$/;
/** at least 8 digits; people may type spaces or dashes, which normalizeCode removes */
export const PAIRING_CODE = /^[0-9]{8,12}$/;

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, no padding (Homie-id-safe) */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** node id from the agent's public key (SPKI DER): whoever holds the private key owns the id */
export function nodeIdFromPublicKey(spkiDer: Buffer): string {
  return `n-${base32(sha256(spkiDer).subarray(0, 10))}`;
}

/** hub id from its TLS certificate fingerprint: a new certificate is a new hub for every pinned agent anyway */
export function hubIdFromFingerprint(fingerprint: string): string {
  return `h-${base32(Buffer.from(fingerprint, 'hex').subarray(0, 10))}`;
}

/** accepts `AB:CD:…` (openssl, Node) or plain hex; returns lower-case hex or undefined */
export function normalizeFingerprint(input: string): string | undefined {
  const hex = input.replace(/:/g, '').toLowerCase();
  return FINGERPRINT.test(hex) ? hex : undefined;
}

/** digits only; undefined when what is left is not a pairing code */
export function normalizeCode(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return PAIRING_CODE.test(digits) ? digits : undefined;
}

// --- discovery ---

const portText = z.coerce.number().int().min(1).max(65535);
/** mDNS TXT hints: non-secret, unauthenticated (anyone on the LAN can advertise the same) */
export const DiscoveryTxtSchema = z.object({
  id: z.string().regex(HUB_ID),
  pv: z.coerce.number().int().min(1),
  https: portText,
  mqtts: portText,
  fp: z.string().regex(FINGERPRINT),
  pair: z.enum(['0', '1']),
});
export type DiscoveryTxt = z.infer<typeof DiscoveryTxtSchema>;

// --- QR payload ---

export const PairingUriSchema = z.object({
  hub: z.string().regex(HUB_ID),
  host: z.string().min(1).max(253),
  port: portText,
  fp: z.string().regex(FINGERPRINT),
  code: z.string().regex(PAIRING_CODE),
});
export type PairingUri = z.infer<typeof PairingUriSchema>;

/** `steward://pair?hub=<id>&host=<addr>&port=<port>&fp=<sha256>&code=<code>` */
export function buildPairingUri(p: PairingUri): string {
  const q = new URLSearchParams({ hub: p.hub, host: p.host, port: String(p.port), fp: p.fp, code: p.code });
  return `steward://pair?${q.toString()}`;
}

export function parsePairingUri(uri: string): PairingUri {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new StewardError('BAD_REQUEST', 'the pairing URI is not a URI');
  }
  if (url.protocol !== 'steward:' || url.hostname !== 'pair') throw new StewardError('BAD_REQUEST', 'a pairing URI starts with steward://pair?');
  const r = PairingUriSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!r.success) throw new StewardError('BAD_REQUEST', `invalid pairing URI: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

// --- HTTPS messages ---

const b64 = (maxChars: number) => z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64').max(maxChars);
export const PairingMethodSchema = z.enum(['srp', 'hmac']);
export type PairingMethod = z.infer<typeof PairingMethodSchema>;

export const PairStartRequestSchema = z
  .object({
    v: z.literal(PAIRING_PROTOCOL_VERSION),
    /** srp: the code was typed (fingerprint unauthenticated); hmac: the fingerprint came from the QR payload */
    method: PairingMethodSchema,
    /** the agent's Ed25519 public key, SPKI DER */
    publicKey: b64(120),
    clientNonce: b64(64),
  })
  .strict();
export const PairStartResponseSchema = z.object({
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  hubId: z.string().regex(HUB_ID),
  method: PairingMethodSchema,
  serverNonce: b64(64),
  srp: z.object({ salt: b64(64), B: b64(1024) }).optional(),
  expiresAt: z.string(),
});

/**
 * A name a person gives at pairing (`steward-agent pair --name "Bedroom lamp" --area 卧室`): English or Chinese text,
 * 1 to 60 characters, no control characters or markup. It is data for the hub's vocabulary, never instructions.
 */
export const FriendlyNameSchema = z
  .string()
  .trim()
  .min(1, 'a name needs at least one character')
  .max(60, 'a name has at most 60 characters')
  .regex(/^[^\p{Cc}\p{Cf}<>{}\\`]+$/u, 'a name has no control characters, markup or braces');

/** the language a friendly name is in: Chinese when it has Han characters, otherwise English */
export function friendlyNameLanguage(name: string): 'en' | 'zh' {
  return /\p{Script=Han}/u.test(name) ? 'zh' : 'en';
}

/** a device the agent declares: what it is, a suggested name and area (an area id, or an area's name), its current state */
export const PairedDeviceSchema = DeviceDescriptorSchema.extend({
  area: z.union([z.string().regex(DEVICE_ID), FriendlyNameSchema]).optional(),
  state: StateSchema.optional(),
});
export type PairedDevice = z.infer<typeof PairedDeviceSchema>;

export const PairFinishRequestSchema = z
  .object({
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    srp: z.object({ A: b64(1024), M1: b64(128) }).strict().optional(),
    /** HMAC(K, "client-proof" | transcript): proves the code (hmac) and binds the TLS fingerprint the agent saw */
    proof: b64(64),
    tlsFingerprint: z.string().regex(FINGERPRINT),
    /** Ed25519 signature of the transcript: the agent holds the key its node id derives from */
    signature: b64(128),
    node: z.object({ name: z.string().trim().min(1).max(60), kind: NodeKindSchema }).strict(),
    devices: z.array(PairedDeviceSchema).max(64),
  })
  .strict();
export const SealedBoxSchema = z.object({ iv: b64(24), data: b64(8192), tag: b64(24) }).strict();
export const PairFinishResponseSchema = z.object({
  nodeId: z.string().regex(PAIRED_NODE_ID),
  hubId: z.string().regex(HUB_ID),
  srpM2: b64(128).optional(),
  /** HMAC(K, "server-confirm" | transcript): the hub knows the code and saw the same TLS fingerprint */
  confirm: b64(64),
  box: SealedBoxSchema,
});
/** what the sealed box holds: the node's MQTT credentials, and the secret the hub signs its commands with */
export const PairingCredentialsSchema = z
  .object({
    username: z.string().min(1),
    password: z.string().min(16),
    mqttsPort: z.number().int().min(1).max(65535),
    hubFingerprint: z.string().regex(FINGERPRINT),
    /** rpc-auth.ts: a confirm-listed change (unlock, open) runs only on a command the hub signed with it */
    rpcSecret: RpcSecretSchema.optional(),
  })
  .strict();

export type PairStartRequest = z.infer<typeof PairStartRequestSchema>;
export type PairStartResponse = z.infer<typeof PairStartResponseSchema>;
export type PairFinishRequest = z.infer<typeof PairFinishRequestSchema>;
export type PairFinishResponse = z.infer<typeof PairFinishResponseSchema>;
export type PairingCredentials = z.infer<typeof PairingCredentialsSchema>;
export type SealedBox = z.infer<typeof SealedBoxSchema>;

// --- crypto constructions ---

export interface TranscriptFields {
  method: PairingMethod;
  sessionId: string;
  hubId: string;
  publicKey: string;
  clientNonce: string;
  serverNonce: string;
  /** SRP only */
  salt?: string;
  B?: string;
  A?: string;
  /** the TLS certificate fingerprint as the agent saw it */
  tlsFingerprint: string;
}

const TRANSCRIPT_ORDER = ['method', 'sessionId', 'hubId', 'publicKey', 'clientNonce', 'serverNonce', 'salt', 'B', 'A', 'tlsFingerprint'] as const;

/** everything both ends agreed on, hashed in a fixed order */
export function transcriptHash(f: TranscriptFields): Buffer {
  return sha256(`steward-pair-v${PAIRING_PROTOCOL_VERSION}\n${TRANSCRIPT_ORDER.map((k) => `${k}=${f[k] ?? ''}`).join('\n')}`);
}

export function signatureMessage(transcript: Buffer): Buffer {
  return Buffer.concat([Buffer.from('steward-pair-sign-v1|'), transcript]);
}

/** hmac method: a key from the code and both nonces (the code itself never travels) */
export function codeKey(code: string, clientNonce: string, serverNonce: string): Buffer {
  return createHmac('sha256', Buffer.from(code, 'utf8')).update(`steward-pair-hmac|${clientNonce}|${serverNonce}`).digest();
}

/** from the shared secret (SRP session key or code key): the proofs and the key that seals the credentials */
export function sessionKeys(secret: Buffer, transcript: Buffer): { clientProof: Buffer; serverConfirm: Buffer; boxKey: Buffer } {
  const mac = (label: string) => createHmac('sha256', secret).update(label).update(transcript).digest();
  return { clientProof: mac('client-proof'), serverConfirm: mac('server-confirm'), boxKey: mac('box-key') };
}

export function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** AES-256-GCM */
export function seal(key: Buffer, value: unknown): SealedBox {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function openSealed(key: Buffer, box: SealedBox): unknown {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(box.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(box.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new StewardError('UNAUTHORIZED', 'the sealed credentials do not open with this session key');
  }
}
