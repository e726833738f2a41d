import type { Logger } from 'pino';
import { z } from 'zod';
import { HOMIE_ROOT, RPC_ROOT, StewardError } from '@steward/device-adapters';
import type { AuditLog } from './audit-log.ts';
import type { BrokerControl } from './broker-control.ts';
import type { BrokerAcl } from './broker-acl.ts';
import type { CredentialStore } from './credential-store.ts';

export interface RevocationDeps {
  credentials: CredentialStore;
  acl: Pick<BrokerAcl, 'disconnect'>;
  /** the broker's retained store; without it (external broker) retained topics stay */
  broker?: BrokerControl;
  audit: AuditLog;
  logger: Logger;
}

export const RevocationReportSchema = z.object({
  nodeId: z.string(),
  credentialsDeleted: z.array(z.string()),
  sessionsClosed: z.number(),
  retainedCleared: z.array(z.string()),
});
export type RevocationReport = z.infer<typeof RevocationReportSchema>;

/**
 * Revokes a node in one action: credentials deleted first (so its open session loses every right at once, and
 * its last will is refused), live sessions closed, its retained topics cleared, an audit entry written.
 * The registry keeps the node's devices (the owner may pair it again); `removeNode` (removal.ts) removes them for good.
 */
export async function revokeNode(deps: RevocationDeps, nodeId: string, ctx: { actor: string; source?: string }): Promise<RevocationReport> {
  const credentialsDeleted = deps.credentials.deleteNode(nodeId);
  let sessionsClosed = 0;
  for (const username of credentialsDeleted) sessionsClosed += await deps.acl.disconnect(username);
  const retainedCleared: string[] = [];
  if (deps.broker) {
    for (const filter of [`${HOMIE_ROOT}/${nodeId}/#`, `${RPC_ROOT}/${nodeId}/#`]) {
      for (const topic of await deps.broker.retainedTopics(filter)) {
        await deps.broker.clearRetained(topic);
        retainedCleared.push(topic);
      }
    }
  }
  if (credentialsDeleted.length === 0 && retainedCleared.length === 0) {
    throw new StewardError('NOT_FOUND', `node ${nodeId} has no credentials and nothing retained: nothing to revoke`);
  }
  deps.audit.record({
    kind: 'node.revoked',
    actor: ctx.actor,
    subject: nodeId,
    ...(ctx.source ? { source: ctx.source } : {}),
    detail: { credentialsDeleted, sessionsClosed, retainedCleared: retainedCleared.length },
  });
  deps.logger.child({ component: 'revocation' }).info({ nodeId, sessionsClosed, retainedCleared: retainedCleared.length }, 'node revoked');
  return { nodeId, credentialsDeleted, sessionsClosed, retainedCleared };
}
