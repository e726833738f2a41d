import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import type { AuditLog } from './audit-log.ts';
import type { CredentialStore } from './credential-store.ts';

/**
 * `{ "<node-id>": { "username": "...", "password": "..." } }`: the format `steward-sim --credentials FILE` reads
 * (simulators/src/fleet.ts FleetCredentialsSchema).
 */
export type NodeCredentialsFile = Record<string, { username: string; password: string }>;

/**
 * Per-node credentials for nodes that do not pair (the quick start's simulated home keeps its home-file ids):
 * the same node role and ACL as a paired node, a fresh random password each call, no shared secret, no bypass.
 */
export async function provisionNodeCredentials(
  credentials: CredentialStore,
  nodeIds: readonly string[],
  opts: { audit?: AuditLog; actor?: string } = {},
): Promise<NodeCredentialsFile> {
  const out: NodeCredentialsFile = {};
  for (const nodeId of nodeIds) {
    const issued = await credentials.issue({ username: nodeId, role: 'node', source: 'demo' });
    out[nodeId] = { username: issued.username, password: issued.password };
  }
  opts.audit?.record({ kind: 'credentials.issued', actor: opts.actor ?? 'system', detail: { role: 'node', source: 'demo', nodes: [...nodeIds] } });
  return out;
}

/** writes the file mode 0600 (it holds passwords), replacing it atomically */
export function writeNodeCredentialsFile(path: string, creds: NodeCredentialsFile): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
