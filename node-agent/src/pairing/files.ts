import { chmodSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** the agent's data dir: identity key, credentials, node description; private to the agent's user */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if ((statSync(dataDir).mode & 0o077) !== 0) chmodSync(dataDir, 0o700);
}

/** writes a file mode 0600 atomically (a crash leaves the old file or the new one, never half of one) */
export function writePrivateFile(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export const IDENTITY_FILE = 'identity-key.pem';
export const CREDENTIALS_FILE = 'credentials.json';
export const NODE_FILE = 'node.json';
export const dataFile = (dataDir: string, name: string) => join(dataDir, name);
