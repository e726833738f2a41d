import net from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';

export interface TestBroker {
  url: string;
  port: number;
  broker: Aedes;
  /** closes every client connection and the listener */
  stop(): Promise<void>;
}

/**
 * A real aedes broker on 127.0.0.1. Port 0 (default) picks a free port; pass a port to restart a broker where a
 * stopped one was (reconnect tests).
 */
export async function startAedes(opts: { port?: number; options?: AedesOptions } = {}): Promise<TestBroker> {
  const broker = await Aedes.createBroker(opts.options);
  const server = net.createServer(broker.handle);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  let stopped = false;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    broker,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
