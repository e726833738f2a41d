import { createServer, type AddressInfo, type Socket } from 'node:net';
import { connect } from 'node:tls';
import type { Logger } from 'pino';
import { pinnedTlsOptions } from './pinned-https.ts';

export interface PinnedTunnel {
  /** plain MQTT URL on 127.0.0.1 for the agent's client */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback entry to the hub's MQTT-over-TLS listener, pinned to the hub's certificate: the agent's MQTT client
 * (whose config has no TLS options yet) connects here in plain MQTT, and every byte leaves the device inside TLS
 * to exactly the paired hub. Only 127.0.0.1 can reach it, and the broker still wants the node's credentials.
 */
export async function startPinnedTunnel(opts: { host: string; port: number; certPem: string; fingerprint: string; logger: Logger }): Promise<PinnedTunnel> {
  const sockets = new Set<Socket>();
  const server = createServer({ pauseOnConnect: true }, (local) => {
    const remote = connect({ host: opts.host, port: opts.port, ...pinnedTlsOptions(opts.certPem, opts.fingerprint) });
    sockets.add(local).add(remote);
    const end = () => {
      local.destroy();
      remote.destroy();
      sockets.delete(local);
      sockets.delete(remote);
    };
    remote.once('secureConnect', () => {
      local.pipe(remote);
      remote.pipe(local);
      local.resume();
    });
    remote.on('error', (e) => {
      opts.logger.warn({ err: e.message, hub: `${opts.host}:${opts.port}` }, 'TLS connection to the hub failed');
      end();
    });
    local.on('error', end);
    local.on('close', end);
    remote.on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
