import { z } from 'zod';
import { StewardError, isStewardError } from '@steward/device-adapters';
import type { AuditLog } from './audit-log.ts';
import { RevocationReportSchema, type RevocationReport } from './revocation.ts';

/** what removal needs of the registry (the registry feature's Registry has it) */
export interface RemovableRegistry {
  hasNode(nodeId: string): boolean;
  removeNode(nodeId: string): { nodeId: string; devices: string[] };
  removeDevice(deviceId: string): { deviceId: string; nodeId: string };
}

export interface RemovalDeps {
  registry: RemovableRegistry;
  revoke: (nodeId: string, ctx: { actor: string; source?: string }) => Promise<RevocationReport>;
  audit: AuditLog;
  /** devices the node adopted leave their ecosystems first (the adoption feature; bounded wait, at once when offline) */
  forgetAdopted?: (nodeId: string) => Promise<{ forgotten: string[]; notForgotten: string[] }>;
}

export const NodeRemovalReportSchema = z.object({
  nodeId: z.string(),
  /** what revoking it did first; null when it held no credentials and had nothing retained */
  revoked: RevocationReportSchema.nullable(),
  devicesRemoved: z.array(z.string()),
  /** adopted devices the node took out of their ecosystem (Matter: decommissioned) before it was revoked */
  forgotten: z.array(z.string()),
  /** adopted devices left in their ecosystem: the node was offline, refused, or did not answer in time */
  notForgotten: z.array(z.string()),
});
export type NodeRemovalReport = z.infer<typeof NodeRemovalReportSchema>;
export const DeviceRemovalSchema = z.object({ deviceId: z.string(), nodeId: z.string() });

/**
 * Removes a node for good (`DELETE /api/nodes/:id`, `steward-hub remove`): a node still holding credentials is
 * revoked first (disconnected, credentials deleted, retained topics cleared; before that, an online node takes its
 * adopted devices out of their ecosystems), then it and its devices leave the
 * registry and SQLite, so no list, health count or reply mentions them again. Audited.
 */
export async function removeNode(deps: RemovalDeps, nodeId: string, ctx: { actor: string; source?: string }): Promise<NodeRemovalReport> {
  const known = deps.registry.hasNode(nodeId);
  // while it can still hear the hub: its adopted devices out of their ecosystems
  const { forgotten, notForgotten } = known && deps.forgetAdopted ? await deps.forgetAdopted(nodeId) : { forgotten: [], notForgotten: [] };
  let revoked: RevocationReport | null = null;
  try {
    revoked = await deps.revoke(nodeId, ctx);
  } catch (e) {
    // nothing to revoke (a home-file node on an external broker, a node revoked before): removal goes on
    if (!isStewardError(e) || e.code !== 'NOT_FOUND') throw e;
  }
  if (!known && !revoked) throw new StewardError('NOT_FOUND', `no node ${nodeId}`);
  const devicesRemoved = known ? deps.registry.removeNode(nodeId).devices : [];
  deps.audit.record({
    kind: 'node.removed',
    actor: ctx.actor,
    subject: nodeId,
    ...(ctx.source ? { source: ctx.source } : {}),
    detail: { devicesRemoved, revoked: revoked !== null, forgotten, notForgotten },
  });
  return { nodeId, revoked, devicesRemoved, forgotten, notForgotten };
}

/** Removes one device (`DELETE /api/devices/:id`); its node stays. Audited. */
export function removeDevice(deps: Pick<RemovalDeps, 'registry' | 'audit'>, deviceId: string, ctx: { actor: string; source?: string }): { deviceId: string; nodeId: string } {
  const r = deps.registry.removeDevice(deviceId);
  deps.audit.record({ kind: 'device.removed', actor: ctx.actor, subject: deviceId, ...(ctx.source ? { source: ctx.source } : {}), detail: { nodeId: r.nodeId } });
  return r;
}
