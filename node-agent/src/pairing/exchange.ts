import { randomBytes } from 'node:crypto';
import { SRP, SrpClient } from 'fast-srp-hap';
import { ErrorBodySchema, StewardError } from '@steward/device-adapters';
import {
  PAIRING_PROTOCOL_VERSION,
  PairFinishResponseSchema,
  PairStartResponseSchema,
  PairingCredentialsSchema,
  SRP_IDENTITY,
  codeKey,
  equalBytes,
  openSealed,
  sessionKeys,
  signatureMessage,
  transcriptHash,
  type PairFinishRequest,
  type PairedDevice,
  type PairingMethod,
} from '@steward/device-adapters/protocol/pairing.ts';
import type { NodeIdentity } from './identity.ts';
import { fetchCertificate, pinnedPostJson, type Endpoint } from './pinned-https.ts';

export interface PairingTarget {
  endpoint: Endpoint;
  /**
   * Where the expected fingerprint came from. `qr`: scanned from the owner's screen, so the TLS pin is authentic
   * and a light HMAC proof suffices. `mdns`: anyone can advertise anything, so SRP-6a. `none`: learned from the
   * connection itself, SRP-6a too (the hub's proof then authenticates the certificate).
   */
  pin: { fingerprint?: string; source: 'qr' | 'mdns' | 'none' };
  hubId?: string;
}

export interface PairingResult {
  nodeId: string;
  hubId: string;
  method: PairingMethod;
  host: string;
  httpsPort: number;
  mqttsPort: number;
  fingerprint: string;
  certPem: string;
  username: string;
  password: string;
  /** the secret the hub signs commands with (absent from an older hub) */
  rpcSecret?: string;
}

function hubError(status: number, body: unknown, what: string): StewardError {
  const parsed = ErrorBodySchema.safeParse((body as { error?: unknown } | undefined)?.error);
  const code = parsed.success ? parsed.data.code : status === 401 ? 'UNAUTHORIZED' : 'INTERNAL';
  const message = parsed.success ? parsed.data.message : `HTTP ${status}`;
  return new StewardError(code, `the hub refused ${what}: ${message}`, { status });
}

/**
 * The agent's half of the exchange: the code is never sent. With SRP the agent learns whether the hub knows the
 * code (M2) before trusting it; the transcript (including the certificate fingerprint the agent saw) is bound by
 * both sides' MACs, so a relay in the middle fails; the credentials arrive sealed under the session key.
 */
export async function pairWithHub(target: PairingTarget, code: string, identity: NodeIdentity, node: PairFinishRequest['node'], devices: PairedDevice[]): Promise<PairingResult> {
  const ep = target.endpoint;
  const cert = await fetchCertificate(ep);
  if (target.pin.fingerprint && cert.fingerprint !== target.pin.fingerprint) {
    throw new StewardError('UNAUTHORIZED', `the hub at ${ep.host}:${ep.port} presents a certificate other than the ${target.pin.source === 'qr' ? 'QR code' : 'advertised'} one: not pairing`);
  }
  const pin = { certPem: cert.certPem, fingerprint: cert.fingerprint };
  const method: PairingMethod = target.pin.source === 'qr' ? 'hmac' : 'srp';
  const clientNonce = randomBytes(32).toString('base64');

  const started = await pinnedPostJson(ep, pin, '/api/pair/start', { v: PAIRING_PROTOCOL_VERSION, method, publicKey: identity.publicKey, clientNonce });
  if (started.status !== 200) throw hubError(started.status, started.body, 'to start pairing');
  const start = PairStartResponseSchema.parse(started.body);
  if (target.hubId && start.hubId !== target.hubId) throw new StewardError('UNAUTHORIZED', `expected hub ${target.hubId}, reached ${start.hubId}`);

  let secret: Buffer;
  let srp: { client: SrpClient; A: string; M1: string } | undefined;
  if (method === 'srp') {
    if (!start.srp) throw new StewardError('BAD_REQUEST', 'the hub sent no SRP parameters');
    const client = new SrpClient(SRP.params.hap, Buffer.from(start.srp.salt, 'base64'), Buffer.from(SRP_IDENTITY), Buffer.from(code), await SRP.genKey(32), true);
    client.setB(Buffer.from(start.srp.B, 'base64'));
    srp = { client, A: client.computeA().toString('base64'), M1: client.computeM1().toString('base64') };
    secret = client.computeK();
  } else {
    secret = codeKey(code, clientNonce, start.serverNonce);
  }
  const transcript = transcriptHash({
    method,
    sessionId: start.sessionId,
    hubId: start.hubId,
    publicKey: identity.publicKey,
    clientNonce,
    serverNonce: start.serverNonce,
    ...(srp && start.srp ? { salt: start.srp.salt, B: start.srp.B, A: srp.A } : {}),
    tlsFingerprint: cert.fingerprint,
  });
  const keys = sessionKeys(secret, transcript);
  const finishBody: PairFinishRequest = {
    sessionId: start.sessionId,
    ...(srp ? { srp: { A: srp.A, M1: srp.M1 } } : {}),
    proof: keys.clientProof.toString('base64'),
    tlsFingerprint: cert.fingerprint,
    signature: identity.sign(signatureMessage(transcript)).toString('base64'),
    node,
    devices,
  };
  const finished = await pinnedPostJson(ep, pin, '/api/pair/finish', finishBody);
  if (finished.status !== 200) throw hubError(finished.status, finished.body, 'the pairing code');
  const done = PairFinishResponseSchema.parse(finished.body);

  // the hub proves it too: a fake hub (or one relaying through another certificate) stops here
  if (srp) {
    try {
      srp.client.checkM2(Buffer.from(done.srpM2 ?? '', 'base64'));
    } catch {
      throw new StewardError('UNAUTHORIZED', 'the hub could not prove it knows the code: not pairing with it');
    }
  }
  if (!equalBytes(Buffer.from(done.confirm, 'base64'), keys.serverConfirm)) {
    throw new StewardError('UNAUTHORIZED', 'the hub\'s confirmation does not match this exchange: not pairing with it');
  }
  if (done.nodeId !== identity.nodeId) throw new StewardError('UNAUTHORIZED', `the hub named this node ${done.nodeId}, expected ${identity.nodeId}`);
  const creds = PairingCredentialsSchema.parse(openSealed(keys.boxKey, done.box));
  if (creds.hubFingerprint !== cert.fingerprint) throw new StewardError('UNAUTHORIZED', 'the sealed credentials name another certificate');
  return {
    nodeId: done.nodeId,
    hubId: done.hubId,
    method,
    host: ep.host,
    httpsPort: ep.port,
    mqttsPort: creds.mqttsPort,
    fingerprint: cert.fingerprint,
    certPem: cert.certPem,
    username: creds.username,
    password: creds.password,
    ...(creds.rpcSecret ? { rpcSecret: creds.rpcSecret } : {}),
  };
}
