import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StewardError, newRpcSecret } from '@steward/device-adapters';
import type { CredentialStore } from './credential-store.ts';

/** `<data-dir>/rpc-key` (0600): the hub's master key for node RPC secrets */
export const RPC_KEY_FILE = 'rpc-key';

/**
 * Each node's RPC secret (device-adapters protocol/rpc-auth.ts), with which the hub signs `command` requests.
 *
 * - A node the hub provisioned at this start without credentials (the demo on an external broker, where that
 *   broker's own users apply): a random secret handed to the node with its configuration, held in memory only. It
 *   comes first, so credentials an earlier embedded-broker run left in the same data dir do not stand in for it.
 * - A node with MQTT credentials on this hub (paired, or a demo node on the embedded broker): derived from the
 *   master key, the node id and its credentials' generation. Pairing again or provisioning again gives a new secret;
 *   revocation, which deletes the credentials, leaves the hub without one, so it can no longer sign for that node.
 *   Nothing new is stored: the credentials table already holds the generation.
 */
export class RpcSecrets {
  private readonly master: Buffer;
  private readonly provisioned = new Map<string, string>();

  constructor(
    dataDir: string,
    private readonly credentials: CredentialStore,
  ) {
    this.master = loadOrCreateKey(join(dataDir, RPC_KEY_FILE), dataDir);
  }

  secretFor(nodeId: string): string | undefined {
    // provisioned at this start wins: with an external broker, credentials left from an earlier embedded-broker run
    // in the same data dir must not stand in for the secret the node was just given
    const provisioned = this.provisioned.get(nodeId);
    if (provisioned) return provisioned;
    const record = this.credentials.get(nodeId);
    if (record && record.role === 'node') return createHmac('sha256', this.master).update(`steward-rpc-secret|${nodeId}|${record.generation}`).digest('base64url');
    return undefined;
  }

  /** a fresh secret for a node that has no credentials on this hub (external broker); replaces an earlier one */
  provision(nodeId: string): string {
    const secret = newRpcSecret();
    this.provisioned.set(nodeId, secret);
    return secret;
  }

  forget(nodeId: string): void {
    this.provisioned.delete(nodeId);
  }
}

function loadOrCreateKey(path: string, dataDir: string): Buffer {
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
    if (key.length !== 32) throw new StewardError('INTERNAL', `${path} does not hold a 32-byte key; delete it (every node then needs new secrets: restart the demo, pair again)`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${key.toString('base64url')}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return key;
}
