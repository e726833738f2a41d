import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { SnapshotResponseSchema, topics, type State } from '@steward/device-adapters';

/**
 * What the devices hold, asked of the nodes themselves (the `snapshot` RPC over the broker, as an admin or, on an
 * open external broker, anonymously), not of the hub: after a fault, the hub's view could hide what a device lost.
 * Each device's effective state: moving fields at their targets. Throws when a node does not answer in time.
 */
export async function snapshotDevices(
  url: string,
  login: { username: string; password: string } | undefined,
  nodeIds: readonly string[],
  timeoutMs = 15_000,
): Promise<Record<string, State>> {
  const client = await mqtt.connectAsync(url, { ...(login ?? {}), clientId: `faults-check-${randomUUID().slice(0, 8)}`, reconnectPeriod: 0, connectTimeout: 5000 });
  try {
    const waiting = new Map<string, string>(nodeIds.map((n) => [`snap-${n}-${randomUUID().slice(0, 8)}`, n]));
    const devices: Record<string, State> = {};
    const done = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no snapshot from ${[...waiting.values()].join(', ')} in ${timeoutMs} ms`)), timeoutMs);
      client.on('message', (_topic, payload) => {
        let reply;
        try {
          reply = SnapshotResponseSchema.parse(JSON.parse(payload.toString('utf8')));
        } catch {
          return;
        }
        if (!waiting.has(reply.id)) return;
        if (!reply.ok) return reject(new Error(`snapshot of ${waiting.get(reply.id)}: ${reply.error.message}`));
        waiting.delete(reply.id);
        for (const [id, d] of Object.entries(reply.devices)) devices[id] = { ...d.state, ...d.targets };
        if (waiting.size === 0) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    await client.subscribeAsync(nodeIds.map((n) => topics.rpcResponse(n, 'snapshot')), { qos: 1 });
    for (const [id, n] of waiting) await client.publishAsync(topics.rpcRequest(n, 'snapshot'), JSON.stringify({ id }), { qos: 1 });
    await done;
    return devices;
  } finally {
    await client.endAsync(true).catch(() => undefined);
  }
}
