import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { SRP, SrpServer } from 'fast-srp-hap';
import type { Logger } from 'pino';
import { StewardError } from '@steward/device-adapters';
import {
  PairFinishRequestSchema,
  PairStartRequestSchema,
  SRP_IDENTITY,
  buildPairingUri,
  codeKey,
  equalBytes,
  nodeIdFromPublicKey,
  seal,
  sessionKeys,
  signatureMessage,
  transcriptHash,
  type PairFinishResponse,
  type PairStartResponse,
  type PairingCredentials,
  type PairingMethod,
  type TranscriptFields,
} from '@steward/device-adapters/protocol/pairing.ts';
import type { AuditLog } from '../auth/audit-log.ts';
import type { RpcSecrets } from '../auth/rpc-secrets.ts';
import type { CredentialStore } from '../auth/credential-store.ts';
import { parsePairingConfig, type PairingConfig, type PairingConfigInput } from './config.ts';
import { pairedDeviceProblems, type OnNodePaired } from './devices.ts';
import { PairingHttpError, rateLimited, windowClosed, wrongProof } from './errors.ts';
import { SlidingWindowLimiter } from './rate-limit.ts';
import { ed25519Key, parseBody as parse } from './validation.ts';
import { PairingWindow, type CloseReason, type OpenWindow, type WindowStatus } from './window.ts';
import { systemClock, type Clock } from '../core/clock.ts';

export interface PairingDeps {
  hubId: string;
  /** the hub certificate's SHA-256: the agent must have seen exactly this */
  fingerprint: string;
  /** where agents reach the pairing server and the broker, for the QR payload and the credentials */
  endpoint: () => { host: string; httpsPort: number; mqttsPort: number };
  credentials: CredentialStore;
  /** the node's secret for signed commands, handed over in the sealed box */
  rpcSecrets?: RpcSecrets;
  audit: AuditLog;
  logger: Logger;
  onNodePaired?: OnNodePaired;
  /** closes live MQTT sessions of a user name (a re-paired node's old session) */
  disconnect?: (username: string) => Promise<unknown>;
  config?: PairingConfigInput;
  /** the hub's clock (window expiry, sessions, rate limits); `now` alone keeps real timers */
  clock?: Clock;
  now?: () => number;
}

export interface OpenedWindow {
  code: string;
  expiresAt: string;
  /** the QR payload: steward://pair?hub=…&host=…&port=…&fp=…&code=… */
  qr: string;
}

interface Session {
  id: string;
  windowId: string;
  method: PairingMethod;
  source: string;
  publicKey: KeyObject;
  publicKeyB64: string;
  nodeId: string;
  clientNonce: string;
  serverNonce: string;
  expiresAt: number;
  srp?: { server: SrpServer; salt: string; B: string };
}

/**
 * The hub's half of pairing (issue 5): a window with a one-time code; an exchange in two requests that proves
 * the code without sending it (SRP-6a, or an HMAC over nonces when the TLS pin came from the QR payload), binds
 * the TLS fingerprint the agent saw, and answers with per-node MQTT credentials sealed under the session key.
 */
export class PairingService {
  readonly config: PairingConfig;
  private readonly window: PairingWindow;
  private readonly sessions = new Map<string, Session>();
  private readonly limiter: SlidingWindowLimiter;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly rateAudited = new Map<string, number>();

  constructor(private readonly deps: PairingDeps) {
    this.config = parsePairingConfig(deps.config);
    const clock: Clock = deps.clock ?? (deps.now ? { ...systemClock, now: deps.now } : systemClock);
    this.now = () => clock.now();
    this.log = deps.logger.child({ component: 'pairing' });
    this.limiter = new SlidingWindowLimiter(this.config.rateLimit.max, this.config.rateLimit.windowMs, this.now);
    this.window = new PairingWindow({
      codeDigits: this.config.codeDigits,
      maxFailures: this.config.maxFailures,
      clock,
      onClose: (w, reason) => this.onWindowClosed(w, reason),
    });
  }

  /** Opens a window (replacing an open one): the code and QR payload go to the owner, once. */
  open(opts: { actor?: string; source?: string; windowMs?: number } = {}): OpenedWindow {
    const w = this.window.open(opts.windowMs ?? this.config.windowMs);
    const ep = this.deps.endpoint();
    this.deps.audit.record({
      kind: 'pairing.window_opened',
      actor: opts.actor ?? 'admin',
      ...(opts.source ? { source: opts.source } : {}),
      detail: { expiresAt: new Date(w.expiresAt).toISOString() },
    });
    this.log.info({ expiresAt: new Date(w.expiresAt).toISOString() }, 'pairing window opened');
    const qr = buildPairingUri({ hub: this.deps.hubId, host: ep.host, port: ep.httpsPort, fp: this.deps.fingerprint, code: w.code });
    return { code: w.code, expiresAt: new Date(w.expiresAt).toISOString(), qr };
  }

  close(reason: CloseReason = 'closed_by_owner'): void {
    this.window.close(reason);
  }

  status(): WindowStatus {
    return this.window.status();
  }

  onChange(listener: (open: boolean, reason?: CloseReason) => void): () => void {
    return this.window.onChange(listener);
  }

  /** POST /api/pair/start */
  async start(body: unknown, source: string): Promise<PairStartResponse> {
    this.limit(source);
    const w = this.window.active();
    if (!w) throw windowClosed(this.window.status().lastClosed?.reason ?? 'none was opened');
    const req = parse(PairStartRequestSchema, body);
    const publicKey = ed25519Key(req.publicKey);
    this.prune();
    if (this.sessions.size >= this.config.maxPendingSessions) {
      throw new PairingHttpError(503, 'CONFLICT', 'too many pairings in progress: try again in a minute');
    }
    const id = randomBytes(16).toString('base64url');
    const session: Session = {
      id,
      windowId: w.id,
      method: req.method,
      source,
      publicKey,
      publicKeyB64: req.publicKey,
      nodeId: nodeIdFromPublicKey(Buffer.from(req.publicKey, 'base64')),
      clientNonce: req.clientNonce,
      serverNonce: randomBytes(32).toString('base64'),
      expiresAt: this.now() + this.config.sessionTtlMs,
    };
    if (req.method === 'srp') {
      const server = new SrpServer(SRP.params.hap, { username: Buffer.from(SRP_IDENTITY), salt: w.srp.salt, verifier: w.srp.verifier }, await SRP.genKey(32));
      session.srp = { server, salt: w.srp.salt.toString('base64'), B: server.computeB().toString('base64') };
    }
    this.sessions.set(id, session);
    return {
      sessionId: id,
      hubId: this.deps.hubId,
      method: req.method,
      serverNonce: session.serverNonce,
      ...(session.srp ? { srp: { salt: session.srp.salt, B: session.srp.B } } : {}),
      expiresAt: new Date(session.expiresAt).toISOString(),
    };
  }

  /** POST /api/pair/finish */
  async finish(body: unknown, source: string): Promise<PairFinishResponse> {
    this.limit(source);
    const req = parse(PairFinishRequestSchema, body);
    const session = this.sessions.get(req.sessionId);
    // single use: a finish, right or wrong, ends the session
    this.sessions.delete(req.sessionId);
    if (!session || session.expiresAt <= this.now() || session.source !== source) {
      throw new PairingHttpError(409, 'CONFLICT', 'unknown or expired pairing session: start again');
    }
    const w = this.window.active();
    if (!w || w.id !== session.windowId) throw windowClosed(this.window.status().lastClosed?.reason ?? 'it was replaced');
    const problems = pairedDeviceProblems(req.devices);
    if (problems.length > 0) throw new StewardError('BAD_REQUEST', `invalid devices: ${problems.join('; ')}`);
    if ((req.srp === undefined) !== (session.method !== 'srp')) throw new StewardError('BAD_REQUEST', `the ${session.method} method ${session.method === 'srp' ? 'needs' : 'takes no'} srp {A, M1}`);

    const fields: TranscriptFields = {
      method: session.method,
      sessionId: session.id,
      hubId: this.deps.hubId,
      publicKey: session.publicKeyB64,
      clientNonce: session.clientNonce,
      serverNonce: session.serverNonce,
      ...(session.srp ? { salt: session.srp.salt, B: session.srp.B, A: req.srp!.A } : {}),
      tlsFingerprint: req.tlsFingerprint,
    };
    const transcript = transcriptHash(fields);
    let secret: Buffer;
    let srpM2: Buffer | undefined;
    if (session.srp) {
      try {
        session.srp.server.setA(Buffer.from(req.srp!.A, 'base64'));
        session.srp.server.checkM1(Buffer.from(req.srp!.M1, 'base64'));
      } catch {
        throw this.failed(w, session, 'wrong code (SRP proof)');
      }
      secret = session.srp.server.computeK();
      srpM2 = session.srp.server.computeM2();
    } else {
      secret = codeKey(w.code, session.clientNonce, session.serverNonce);
    }
    const keys = sessionKeys(secret, transcript);
    if (!equalBytes(Buffer.from(req.proof, 'base64'), keys.clientProof)) {
      throw this.failed(w, session, session.srp ? 'transcript mismatch' : 'wrong code (HMAC proof)');
    }
    // the code is right; the agent must also have talked TLS to this very hub, not to a machine in the middle
    if (req.tlsFingerprint !== this.deps.fingerprint) throw this.failed(w, session, 'the agent saw another TLS certificate');
    if (!verify(null, signatureMessage(transcript), session.publicKey, Buffer.from(req.signature, 'base64'))) {
      throw this.failed(w, session, 'bad signature of the node key');
    }

    // one code pairs one node: closed before anything asynchronous, so a second finish cannot slip in
    this.window.close('used');
    const ep = this.deps.endpoint();
    const issued = await this.deps.credentials.issue({ username: session.nodeId, role: 'node', source: 'pairing', publicKey: session.publicKeyB64, label: req.node.name });
    // a node pairing again (lost credentials) replaces its old session
    await this.deps.disconnect?.(session.nodeId);
    try {
      await this.deps.onNodePaired?.(
        { id: session.nodeId, name: req.node.name, kind: req.node.kind, publicKey: session.publicKeyB64, source, pairedAt: new Date(this.now()).toISOString() },
        req.devices,
      );
    } catch (e) {
      this.deps.credentials.delete(session.nodeId);
      this.log.error({ nodeId: session.nodeId, err: (e as Error).message }, 'registering the paired node failed; pairing undone');
      // a device id another node uses is the agent's to fix (CONFLICT); anything else is the hub's fault
      const code = (e as { code?: unknown }).code === 'CONFLICT' ? 'CONFLICT' : 'INTERNAL';
      throw new StewardError(code, `the hub could not register the node: ${(e as Error).message}; open a new window and pair again`);
    }
    this.deps.audit.record({
      kind: 'pairing.succeeded',
      actor: `node:${session.nodeId}`,
      subject: session.nodeId,
      source,
      detail: { method: session.method, name: req.node.name, kind: req.node.kind, devices: req.devices.map((d) => d.id) },
    });
    // brute-force protection counts failed and abandoned attempts, not pairings: this one's start and finish are given back
    this.limiter.forgive(source, 2);
    this.log.info({ nodeId: session.nodeId, source, devices: req.devices.length }, 'node paired');
    const rpcSecret = this.deps.rpcSecrets?.secretFor(session.nodeId);
    const credentials: PairingCredentials = {
      username: issued.username,
      password: issued.password,
      mqttsPort: ep.mqttsPort,
      hubFingerprint: this.deps.fingerprint,
      ...(rpcSecret ? { rpcSecret } : {}),
    };
    return {
      nodeId: session.nodeId,
      hubId: this.deps.hubId,
      ...(srpM2 ? { srpM2: srpM2.toString('base64') } : {}),
      confirm: keys.serverConfirm.toString('base64'),
      box: seal(keys.boxKey, credentials),
    };
  }

  /** stops the expiry timer and forgets pending exchanges */
  stop(): void {
    this.window.close('stopped');
    this.sessions.clear();
  }

  private failed(w: OpenWindow, session: Session, reason: string): PairingHttpError {
    const closed = this.window.fail(w);
    this.deps.audit.record({
      kind: 'pairing.failed',
      subject: session.nodeId,
      source: session.source,
      detail: { reason, method: session.method, failures: w.failures },
    });
    this.log.warn({ source: session.source, reason, failures: w.failures }, 'pairing attempt failed');
    return wrongProof(closed ? 0 : this.config.maxFailures - w.failures);
  }

  private limit(source: string): void {
    if (this.limiter.take(source)) return;
    const retryMs = this.limiter.retryAfterMs(source);
    const last = this.rateAudited.get(source) ?? 0;
    if (last < this.now() - this.config.rateLimit.windowMs) {
      this.rateAudited.set(source, this.now());
      this.deps.audit.record({ kind: 'pairing.rate_limited', source, detail: { retryAfterMs: retryMs } });
    }
    throw rateLimited(retryMs);
  }

  private prune(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }

  private onWindowClosed(w: OpenWindow, reason: CloseReason): void {
    for (const [id, s] of this.sessions) if (s.windowId === w.id) this.sessions.delete(id);
    this.deps.audit.record({ kind: 'pairing.window_closed', actor: 'system', detail: { reason, failures: w.failures } });
    this.log.info({ reason, failures: w.failures }, 'pairing window closed');
  }
}
