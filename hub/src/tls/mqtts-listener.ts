import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { listen, serverUrl } from '../net/listen.ts';

export interface MqttsListener {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * MQTT over TLS into an existing broker: each TLS socket is handed to `handle` (the embedded broker's
 * size-guarded entry, or `aedes.handle`). Remote agents connect here; plain MQTT may stay on loopback for tools.
 */
export async function startMqttsListener(opts: {
  handle: (socket: Socket) => void;
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  logger: Logger;
}): Promise<MqttsListener> {
  const log = opts.logger.child({ component: 'mqtts' });
  const sockets = new Set<TLSSocket>();
  const server: Server = createServer({ cert: opts.certPem, key: opts.keyPem, minVersion: 'TLSv1.2' }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    opts.handle(socket);
  });
  // a failed handshake (wrong pin on the client side, a port scanner) is not the hub's problem
  server.on('tlsClientError', (err, socket) => log.debug({ err: err.message, remote: socket.remoteAddress }, 'TLS handshake failed'));
  const port = await listen(server, opts.port, opts.host);
  const url = serverUrl('mqtts', opts.host, port);
  log.info({ url }, 'MQTT over TLS listening');
  return {
    url,
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
