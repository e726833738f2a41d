import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import type { AuditLog } from './audit-log.ts';
import type { CredentialStore } from './credential-store.ts';
import type { RpcSecrets } from './rpc-secrets.ts';

/**
 * `{ "<node-id>": { "username": "...", "password": "...", "rpcSecret": "..." } }`: the format
 * `steward-sim --credentials FILE` reads (simulators/src/fleet.ts FleetCredentialsSchema). On an external broker
 * only the RPC secret.
 */
export type NodeCredentialsFile = Record<string, { username?: string; password?: string; rpcSecret?: string }>;
/** what provisioning issues on the embedded broker: a login for every node, and its RPC secret */
export type ProvisionedNodes = Record<string, { username: string; password: string; rpcSecret?: string }>;

/**
 * Per-node credentials for nodes that do not pair (the quick start's simulated home keeps its home-file ids):
 * the same node role and ACL as a paired node, a fresh random password each call, no shared secret, no bypass.
 */
export async function provisionNodeCredentials(
  credentials: CredentialStore,
  nodeIds: readonly string[],
  opts: { audit?: AuditLog; actor?: string; rpcSecrets?: RpcSecrets } = {},
): Promise<ProvisionedNodes> {
  const out: ProvisionedNodes = {};
  for (const nodeId of nodeIds) {
    const issued = await credentials.issue({ username: nodeId, role: 'node', source: 'demo' });
    // the secret derives from the new generation: the node's old one (previous start) no longer signs
    const rpcSecret = opts.rpcSecrets?.secretFor(nodeId);
    out[nodeId] = { username: issued.username, password: issued.password, ...(rpcSecret ? { rpcSecret } : {}) };
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
