import { X509Certificate, createHash } from 'node:crypto';
import { StewardError } from '@steward/device-adapters';

/** SHA-256 over a certificate's DER, lower-case hex (the form in mDNS TXT, QR payloads and agents' pins) */
export function fingerprintOfDer(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

export function fingerprintOfPem(pem: string): string {
  try {
    return fingerprintOfDer(new X509Certificate(pem).raw);
  } catch (e) {
    throw new StewardError('BAD_REQUEST', `not a PEM certificate: ${(e as Error).message}`);
  }
}

/** `ab:cd:…` groups for people comparing fingerprints by eye */
export function formatFingerprint(hex: string): string {
  return hex.match(/../g)?.join(':') ?? hex;
}
