import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { StewardError } from '@steward/device-adapters';
import { nodeIdFromPublicKey } from '@steward/device-adapters/protocol/pairing.ts';
import { IDENTITY_FILE, dataFile, ensureDataDir, writePrivateFile } from './files.ts';

export interface NodeIdentity {
  /** `n-` + base32 of SHA-256(public key)[:10]: the Homie id this agent pairs as */
  nodeId: string;
  /** Ed25519 SPKI DER, base64 */
  publicKey: string;
  sign(message: Buffer): Buffer;
}

/**
 * The agent's own Ed25519 key pair, made on first use and kept in `<data-dir>/identity-key.pem` (0600). Its node id
 * derives from the public key, so an id cannot be claimed without the key.
 */
export function loadOrCreateIdentity(dataDir: string): NodeIdentity {
  ensureDataDir(dataDir);
  const file = dataFile(dataDir, IDENTITY_FILE);
  let privateKey: KeyObject;
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) throw new StewardError('BAD_REQUEST', `${file} is readable by others: chmod 600 it (or delete it to make a new identity)`);
    try {
      privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new StewardError('BAD_REQUEST', `${file} is not a private key: ${(e as Error).message}`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new StewardError('BAD_REQUEST', `${file} is not an Ed25519 key`);
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    writePrivateFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  }
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    nodeId: nodeIdFromPublicKey(der),
    publicKey: der.toString('base64'),
    sign: (message) => sign(null, message, privateKey),
  };
}
