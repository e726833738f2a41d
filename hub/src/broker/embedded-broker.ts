import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import type { Logger } from 'pino';
import type { Rejections } from '../core/rejections.ts';
import { SizeGuardedConnection } from './packet-size-guard.ts';
import { listen, serverUrl } from '../net/listen.ts';

/**
 * Who may connect, publish and subscribe. The hub always passes the security layer's hooks (per-node credentials and
 * the ACL, hub/src/auth/broker-acl.ts); absent hooks allow everything, which only the broker's own tests use.
 */
export type BrokerAuthHooks = Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'>;

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port */
  port: number;
  maxPacketBytes: number;
  logger: Logger;
  hooks?: BrokerAuthHooks;
  /** counts and rate-limits the log of oversized and protocol-breaking packets */
  rejections?: Rejections;
}

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** accepts one more client connection, size-guarded: lets a TLS listener share this broker */
  handle(socket: Socket): void;
  /** the aedes instance: revocation clears a node's retained topics through it */
  aedes: Aedes;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const log = opts.logger.child({ component: 'broker' });
  const aedes = await Aedes.createBroker({ ...opts.hooks });
  aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'client error'));
  aedes.on('connectionError', (client, err) => {
    // a connection that broke the protocol before CONNECT completed: counted; logged once per address and window
    const remote = (client?.conn as { remoteAddress?: string } | undefined)?.remoteAddress ?? 'unknown';
    if (opts.rejections) opts.rejections.reject('mqtt-packet', remote, `connection error: ${err.message}`, { clientId: client?.id });
    else log.debug({ clientId: client?.id, err: err.message }, 'connection error');
  });

  const handle = (socket: Socket): void => {
    // MQTT packets are small and answered at once: Nagle's algorithm would hold each one back until the peer's
    // delayed ACK (about 40 ms per hop on Linux)
    socket.setNoDelay(true);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    const conn = new SizeGuardedConnection(socket, opts.maxPacketBytes, (bytes) => {
      const clientId = (conn as unknown as { client?: { id?: string } }).client?.id;
      const context = { clientId, remote, bytes, limit: opts.maxPacketBytes };
      const why = 'MQTT packet over the size limit: connection closed';
      if (opts.rejections) opts.rejections.reject('mqtt-packet', socket.remoteAddress ?? 'unknown', why, context);
      else log.warn(context, why);
    });
    aedes.handle(conn);
  };

  const server: Server = createServer(handle);
  const port = await listen(server, opts.port, opts.host);
  const url = serverUrl('mqtt', opts.host, port);
  log.info({ url }, 'embedded MQTT broker listening');

  return {
    url,
    port,
    handle,
    aedes,
    close: async () => {
      // aedes closes its clients; the server then stops listening (its close waits for open sockets)
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
