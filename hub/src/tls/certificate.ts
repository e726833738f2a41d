import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { StewardError } from '@steward/device-adapters';
import { hubIdFromFingerprint } from '@steward/device-adapters/protocol/pairing.ts';
import { fingerprintOfPem } from './fingerprint.ts';

const run = promisify(execFile);

export const CERT_FILE = 'hub-cert.pem';
export const KEY_FILE = 'hub-key.pem';

export interface HubCertificate {
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
  /** SHA-256 of the DER, lower-case hex: what agents pin */
  fingerprint: string;
  hubId: string;
  /** made now (first start) rather than read from the data dir */
  created: boolean;
  notAfter: string;
}

export interface CertificateOptions {
  logger: Logger;
  /** extra subjectAltNames; agents pin the fingerprint, so these only help tools that check names */
  addresses?: readonly string[];
  days?: number;
}

/**
 * The hub's TLS identity: created on first start with the openssl command (Node 20's crypto makes keys but cannot
 * issue X.509), then reused, so agents that pinned its fingerprint keep trusting it. The key file is mode 0600.
 */
export async function ensureHubCertificate(dataDir: string, opts: CertificateOptions): Promise<HubCertificate> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const certFile = join(dataDir, CERT_FILE);
  const keyFile = join(dataDir, KEY_FILE);
  let created = false;
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    await createCertificate(certFile, keyFile, opts);
    created = true;
  }
  // a key readable by others is fixed rather than trusted: the hub may have been copied carelessly
  if ((statSync(keyFile).mode & 0o077) !== 0) {
    chmodSync(keyFile, 0o600);
    opts.logger.warn({ keyFile }, 'the TLS key was readable by others: mode set to 0600');
  }
  const certPem = readFileSync(certFile, 'utf8');
  const keyPem = readFileSync(keyFile, 'utf8');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
  } catch (e) {
    throw new StewardError('INTERNAL', `${certFile} is not a certificate (${(e as Error).message}); move it away to create a new one`);
  }
  if (!x509.checkPrivateKey(createPrivateKey(keyPem))) {
    throw new StewardError('INTERNAL', `${keyFile} does not belong to ${certFile}`);
  }
  const fingerprint = fingerprintOfPem(certPem);
  const hubId = hubIdFromFingerprint(fingerprint);
  if (created) opts.logger.info({ certFile, fingerprint, hubId }, 'created the hub TLS certificate');
  return { certPem, keyPem, certFile, keyFile, fingerprint, hubId, created, notAfter: x509.validTo };
}

async function createCertificate(certFile: string, keyFile: string, opts: CertificateOptions): Promise<void> {
  const names = new Set(['DNS:localhost', 'IP:127.0.0.1', `DNS:${safeDnsName(hostname())}`, `DNS:${safeDnsName(hostname())}.local`]);
  for (const a of opts.addresses ?? []) names.add(isIP(a) ? `IP:${a}` : `DNS:${safeDnsName(a)}`);
  // made in a private folder (mode 0700) next to the data, so the key is never readable by others, then moved
  const work = mkdtempSync(join(dirname(certFile), '.cert-'));
  chmodSync(work, 0o700);
  const tmpCert = join(work, 'cert.pem');
  const tmpKey = join(work, 'key.pem');
  try {
    // ECDSA P-256: small, fast, and what every TLS stack speaks
    await run(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', tmpKey, '-out', tmpCert, '-days', String(opts.days ?? 3650),
        '-subj', '/CN=steward-hub', '-addext', `subjectAltName=${[...names].join(',')}`,
        // CA:TRUE so a pinned agent can pass this very certificate as its trust anchor (`ca`)
        '-addext', 'basicConstraints=critical,CA:TRUE',
      ],
      { timeout: 20_000 },
    );
    chmodSync(tmpKey, 0o600);
    renameSync(tmpKey, keyFile);
    renameSync(tmpCert, certFile);
  } catch (e) {
    const why = (e as { code?: string }).code === 'ENOENT' ? 'the openssl command is not installed' : (e as Error).message;
    throw new StewardError('INTERNAL', `cannot create the hub certificate: ${why}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function safeDnsName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.-]/g, '-') || 'steward-hub';
}
