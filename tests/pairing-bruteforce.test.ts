/**
 * The pairing window against guessing, reuse, expiry and a relay in the middle, with real parts: the hub's real
 * HTTPS pairing server (fastify, the hub's openssl certificate) on loopback, the agent's real pairing client
 * (SRP-6a with fast-srp-hap, or the HMAC proof with a QR pin), credentials and audit log in a real SQLite file.
 * Expiry uses the service's injectable clock (no waiting); the rate limit uses a second loopback source address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createTlsServer, connect as tlsConnect, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@steward/hub/store/database.ts';
import { createHubSecurity, type HubSecurity } from '@steward/hub/pairing/hub-security.ts';
import { startLanServer } from '@steward/hub/pairing/lan-server.ts';
import { generateCode, isTrivialCode } from '@steward/hub/pairing/code.ts';
import { ensureHubCertificate } from '@steward/hub/tls/certificate.ts';
import { loadOrCreateIdentity, type NodeIdentity } from '@steward/node-agent/pairing/identity.ts';
import { pairWithHub, type PairingTarget } from '@steward/node-agent/pairing/exchange.ts';
import { fetchCertificate, pinnedPostJson } from '@steward/node-agent/pairing/pinned-https.ts';

const silent = pino({ level: 'silent' });
const node = { name: 'test node', kind: 'gateway' as const };

interface TestHub {
  db: Db;
  security: HubSecurity;
  port: number;
  close(): Promise<void>;
}

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'stw-brute-'));
  dirs.push(d);
  return d;
};

async function startHub(opts: { now?: () => number; pairing?: Parameters<typeof createHubSecurity>[0]['pairing'] } = {}): Promise<TestHub> {
  const dir = tmp();
  const db = openDatabase(dir);
  const security = await createHubSecurity({ dataDir: dir, db, logger: silent, devices: () => undefined, ...opts });
  const lan = await startLanServer({ host: '127.0.0.1', port: 0, certPem: security.certificate.certPem, keyPem: security.certificate.keyPem, service: security.pairing, logger: silent });
  return {
    db,
    security,
    port: lan.port,
    close: async () => {
      await lan.close();
      await security.stop();
      db.close();
    },
  };
}

/** a wrong code: same length, differs from the right one in every digit */
const wrong = (code: string, i: number) => [...code].map((d) => String((Number(d) + 1 + (i % 9)) % 10)).join('');

describe('pairing window: guessing, reuse, expiry, rate limit', () => {
  let hub: TestHub;
  let now = Date.now();
  let identities: NodeIdentity[];
  const target = (source: 'mdns' | 'qr' = 'mdns'): PairingTarget => ({
    endpoint: { host: '127.0.0.1', port: hub.port },
    pin: { fingerprint: hub.security.certificate.fingerprint, source },
  });

  beforeAll(async () => {
    hub = await startHub({ now: () => now, pairing: { maxFailures: 20, rateLimit: { max: 1000, windowMs: 60_000 }, windowMs: 600_000 } });
    identities = [0, 1, 2].map(() => loadOrCreateIdentity(tmp()));
  }, 30_000);

  afterAll(async () => {
    await hub?.close();
  });

  it('never issues a trivial code', () => {
    for (const c of ['12345678', '87654321', '11111111', '00000000', '23456789', '90123456', '12121212', '12341234', '13579135', '11112222']) {
      expect(isTrivialCode(c), c).toBe(true);
    }
    expect(isTrivialCode('48291736')).toBe(false);
    for (let i = 0; i < 2000; i++) {
      const c = generateCode();
      expect(c).toMatch(/^\d{8}$/);
      expect(isTrivialCode(c)).toBe(false);
    }
  });

  it('pairs one node with the typed code over SRP; the credentials work; the used code is refused', async () => {
    const { code, qr } = hub.security.pairing.open();
    expect(qr).toContain(`code=${code}`);
    const r = await pairWithHub(target('mdns'), code, identities[0]!, node, []);
    expect(r).toMatchObject({ nodeId: identities[0]!.nodeId, username: identities[0]!.nodeId, method: 'srp', fingerprint: hub.security.certificate.fingerprint });
    expect(await hub.security.credentials.verify(r.username, r.password)).toMatchObject({ role: 'node', nodeId: r.nodeId, source: 'pairing' });
    // only a hash is stored
    const row = hub.db.prepare('SELECT password_hash FROM mqtt_credentials WHERE username = ?').get(r.username) as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(r.password);

    await expect(pairWithHub(target('mdns'), code, identities[1]!, node, [])).rejects.toMatchObject({ code: 'CONFLICT', details: { status: 409 } });
    expect(hub.security.pairing.status()).toMatchObject({ open: false, lastClosed: { reason: 'used' } });
  }, 30_000);

  it('pairs with the QR payload over the lighter HMAC proof; a QR naming another certificate is refused before anything is sent', async () => {
    const { code } = hub.security.pairing.open();
    const forged: PairingTarget = { ...target('qr'), pin: { fingerprint: 'ab'.repeat(32), source: 'qr' } };
    await expect(pairWithHub(forged, code, identities[1]!, node, [])).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(hub.security.pairing.status()).toMatchObject({ open: true, failures: 0 });
    const r = await pairWithHub(target('qr'), code, identities[1]!, node, []);
    expect(r.method).toBe('hmac');
  }, 30_000);

  it('closes the window after 20 wrong codes, then refuses the right one', async () => {
    const { code } = hub.security.pairing.open();
    for (let i = 0; i < 20; i++) {
      // mostly the cheap HMAC proof, a few full SRP exchanges: both count against the same window
      const via = i % 5 === 0 ? 'mdns' : 'qr';
      const attempt = pairWithHub(target(via), wrong(code, i), identities[2]!, node, []);
      await expect(attempt).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { status: 401 } });
      await attempt.catch((e: Error) => expect(e.message).toContain(i < 19 ? `${19 - i} attempts left` : 'window is now closed'));
    }
    expect(hub.security.pairing.status()).toMatchObject({ open: false, lastClosed: { reason: 'too_many_failures' } });
    await expect(pairWithHub(target('mdns'), code, identities[2]!, node, [])).rejects.toMatchObject({ code: 'CONFLICT', details: { status: 409 } });
    expect(hub.security.audit.list({ kind: 'pairing.failed', limit: 100 }).filter((e) => e.subject === identities[2]!.nodeId)).toHaveLength(20);
    expect(hub.security.audit.list({ kind: 'pairing.window_closed', limit: 1 })[0]!.detail).toMatchObject({ reason: 'too_many_failures', failures: 20 });
    expect(hub.security.credentials.get(identities[2]!.nodeId)).toBeUndefined();
  }, 60_000);

  it('refuses the right code once the window has expired', async () => {
    const { code, expiresAt } = hub.security.pairing.open({ windowMs: 60_000 });
    expect(Date.parse(expiresAt)).toBe(now + 60_000);
    now += 60_001;
    await expect(pairWithHub(target('qr'), code, identities[2]!, node, [])).rejects.toMatchObject({ code: 'CONFLICT', details: { status: 409 } });
    expect(hub.security.pairing.status()).toMatchObject({ open: false, lastClosed: { reason: 'expired' } });
  }, 30_000);
});

describe('pairing rate limit and a relay in the middle', () => {
  let hub: TestHub;
  let now = Date.now();

  beforeAll(async () => {
    hub = await startHub({ now: () => now, pairing: { rateLimit: { max: 3, windowMs: 60_000 } } });
  }, 30_000);
  afterAll(async () => {
    await hub?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('rate-limits each source address on its own', async () => {
    hub.security.pairing.open();
    const identity = loadOrCreateIdentity(tmp());
    const pin = await fetchCertificate({ host: '127.0.0.1', port: hub.port });
    const start = (localAddress: string) =>
      pinnedPostJson({ host: '127.0.0.1', port: hub.port, localAddress }, pin, '/api/pair/start', { v: 1, method: 'hmac', publicKey: identity.publicKey, clientNonce: 'bm9uY2U=' });
    for (let i = 0; i < 3; i++) expect((await start('127.0.0.1')).status).toBe(200);
    const limited = await start('127.0.0.1');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { message: expect.stringContaining('too many pairing requests') } });
    // another source is not affected
    expect((await start('127.0.0.2')).status).toBe(200);
    expect(hub.security.audit.list({ kind: 'pairing.rate_limited' })[0]).toMatchObject({ source: '127.0.0.1' });
    // and the limit is a window, not a ban
    now += 60_001;
    expect((await start('127.0.0.1')).status).toBe(200);
  }, 30_000);

  it('a relay with its own certificate sees neither the code nor credentials, and the hub refuses the pairing', async () => {
    now += 120_000; // a fresh rate-limit window
    const { code } = hub.security.pairing.open();
    const relayCert = await ensureHubCertificate(tmp(), { logger: silent });
    const seen: Buffer[] = [];
    // terminates TLS with its own certificate and forwards plaintext: a full machine in the middle
    const relay: Server = createTlsServer({ cert: relayCert.certPem, key: relayCert.keyPem }, (down) => {
      const up = tlsConnect({ host: '127.0.0.1', port: hub.port, rejectUnauthorized: false });
      down.on('data', (d: Buffer) => (seen.push(d), up.write(d)));
      up.on('data', (d: Buffer) => (seen.push(d), down.write(d)));
      const end = () => (down.destroy(), up.destroy());
      down.on('close', end).on('error', end);
      up.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    const identity = loadOrCreateIdentity(tmp());
    try {
      // no pin (a hub typed by address): the agent trusts the relay's certificate until the proofs are checked
      const viaRelay: PairingTarget = { endpoint: { host: '127.0.0.1', port: (relay.address() as AddressInfo).port }, pin: { source: 'none' } };
      await expect(pairWithHub(viaRelay, code, identity, node, [])).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
    const plaintext = Buffer.concat(seen).toString('latin1');
    expect(plaintext).toContain('/api/pair/finish');
    expect(plaintext).not.toContain(code);
    expect(plaintext).not.toMatch(/password/i);
    expect(hub.security.audit.list({ kind: 'pairing.failed', limit: 1 })[0]!.detail).toMatchObject({ reason: 'the agent saw another TLS certificate' });
    expect(hub.security.credentials.get(identity.nodeId)).toBeUndefined();
  }, 30_000);

  it('counts failed proofs, not pairings: an owner pairs many nodes in a row from one address; wrong codes still run out', async () => {
    now += 120_000; // a fresh rate-limit window (max 3 requests a minute here)
    const target: PairingTarget = { endpoint: { host: '127.0.0.1', port: hub.port }, pin: { fingerprint: hub.security.certificate.fingerprint, source: 'qr' } };
    // six pairings, twelve requests: each success gives its own requests back
    for (let i = 0; i < 6; i++) {
      const { code } = hub.security.pairing.open();
      const identity = loadOrCreateIdentity(tmp());
      expect((await pairWithHub(target, code, identity, node, [])).nodeId).toBe(identity.nodeId);
    }
    expect(hub.security.audit.list({ kind: 'pairing.rate_limited', limit: 10 }).filter((e) => e.at > new Date(now - 1000).toISOString())).toEqual([]);
    // a guesser from the same address: start+finish of the first wrong code are two requests, the third is the limit
    const { code } = hub.security.pairing.open();
    const guesser = loadOrCreateIdentity(tmp());
    await expect(pairWithHub(target, wrong(code, 0), guesser, node, [])).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { status: 401 } });
    await expect(pairWithHub(target, wrong(code, 1), guesser, node, [])).rejects.toMatchObject({ details: { status: 429 } });
    // and even the right code waits out the window now: the failures are what counted
    await expect(pairWithHub(target, code, guesser, node, [])).rejects.toMatchObject({ details: { status: 429 } });
  }, 60_000);
});
