import type { Logger } from 'pino';
import { StewardError } from '@steward/device-adapters';
import type { Registry } from '../registry/registry.ts';
import type { RpcClient } from './rpc-client.ts';

export interface ResetReport {
  /** nodes whose devices are back at their initial state */
  reset: string[];
  /** offline nodes, not reset */
  skipped: string[];
}

/** Simulator-only: RPC `reset` to every online node; the acknowledged states are recorded in the registry. */
export async function resetDevices(registry: Registry, rpc: RpcClient, logger: Logger): Promise<ResetReport> {
  const online = registry.nodes().filter((n) => n.online);
  const skipped = registry.nodes().filter((n) => !n.online).map((n) => n.id);
  const results = await Promise.allSettled(
    online.map(async (n) => {
      const r = await rpc.call(n.id, 'reset', {}, `node ${n.id}`);
      for (const [deviceId, s] of Object.entries(r.devices)) {
        if (registry.device(deviceId)) registry.applyAcknowledged(deviceId, s);
      }
      return n.id;
    }),
  );
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${online[i]!.id}: ${(r.reason as Error).message}`] : []));
  if (failed.length > 0) throw new StewardError('DRIVER_ERROR', `reset failed on ${failed.join('; ')}`);
  if (skipped.length > 0) logger.warn({ skipped }, 'offline nodes were not reset');
  return { reset: online.map((n) => n.id), skipped };
}
