import { z } from 'zod';
import { defineFeature } from '../core/feature.ts';

import { HomieListener } from './homie-listener.ts';
import { MqttConnection } from './mqtt-connection.ts';
import { RpcClient } from './rpc-client.ts';

export interface TransportProvides {
  conn: MqttConnection;
  rpc: RpcClient;
  homie: HomieListener;
  /** for GET /api/health */
  stats(): { connected: boolean; accepted: number; dropped: number };
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    transport: TransportProvides;
  }
}

export const TransportConfigSchema = z
  .object({
    /** how long a node has to acknowledge an RPC before the command fails with TIMEOUT */
    rpcTimeoutMs: z.number().int().positive().max(120_000).default(3000),
  })
  .strict();

/**
 * The hub's MQTT client: Homie v5 into the registry, request/response RPC to the nodes (timeouts on the hub's
 * clock; a node going offline fails its pending calls at once). With the security feature, `command` requests are
 * signed with the node's RPC secret.
 */
export const transportFeature = () => {
  const closers: (() => unknown)[] = [];
  return defineFeature({
    name: 'transport',
    needs: ['broker', 'registry'],
    uses: ['security'],
    config: {
      key: 'transport',
      schema: TransportConfigSchema,
      options: [{ flag: 'rpc-timeout-ms', field: 'rpcTimeoutMs', kind: 'number', value: 'MS', help: 'how long a node has to acknowledge a command (default 3000)' }],
    },
    async start(ctx, config) {
      const broker = ctx.get('broker');
      const registry = ctx.get('registry');
      const conn = await MqttConnection.open({ url: broker.url, logger: ctx.logger, ...broker.hubCredentials });
      closers.push(() => conn.close());
      // commands are signed with each node's secret: nodes run confirm-listed changes only when the hub sent them
      const secrets = ctx.find('security')?.rpcSecrets;
      const rpc = new RpcClient(conn, {
        timeoutMs: config.rpcTimeoutMs,
        isOnline: (id) => registry.isOnline(id),
        logger: ctx.logger,
        clock: ctx.clock,
        rejections: ctx.rejections,
        ...(secrets ? { rpcSecret: (id: string) => secrets.secretFor(id) } : {}),
      });
      closers.push(() => rpc.stop());
      closers.push(registry.presenceChanged.on(({ nodeId, online }) => !online && rpc.failNode(nodeId)));
      // without the broker the hub cannot know who is online: every node is offline (commands fail at once with
      // NODE_OFFLINE instead of timing out) until its `$state` arrives again after the reconnect
      closers.push(
        conn.connectionChanged.on((up) => {
          if (up) return;
          const online = registry.nodes().filter((n) => n.online).map((n) => n.id);
          for (const id of online) registry.setNodeState(id, null);
          if (online.length > 0) ctx.logger.warn({ nodes: online }, 'broker connection lost: nodes offline until they report again');
        }),
      );
      await rpc.start();
      const homie = new HomieListener(conn, registry, ctx.logger, ctx.rejections);
      closers.push(() => homie.stop());
      await homie.start();
      return { conn, rpc, homie, stats: () => ({ connected: conn.connected, ...homie.stats }) };
    },
    async stop() {
      while (closers.length > 0) await closers.pop()!();
    },
  });
};
