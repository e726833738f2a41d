/**
 * A TCP port of this (root namespace) process's loopback made reachable on the loopback of a network namespace,
 * without any interface in the root namespace: a Unix socket (filesystem sockets cross network namespaces) joins a
 * listener inside the namespace to the port here. For a process that must run in a namespace (a Matter controller)
 * but talk to a hub started by the test on 127.0.0.1.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInNamespace } from './netns.ts';
import type { ManagedProcess } from './processes.ts';

export interface NamespaceBridge {
  /** the port on the namespace's 127.0.0.1 that leads to `hostPort` here */
  port: number;
  stop(): Promise<void>;
}

/** the namespace's side: listens on its loopback, each connection piped to the Unix socket */
const INSIDE = `
const net = require('node:net');
const sock = process.argv[1];
const server = net.createServer((c) => { const u = net.createConnection(sock); c.pipe(u).pipe(c); const end = () => { c.destroy(); u.destroy(); }; c.on('error', end); u.on('error', end); c.on('close', end); u.on('close', end); });
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

export async function bridgeIntoNamespace(ns: string, hostPort: number): Promise<NamespaceBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'stw-bridge-'));
  const path = join(dir, 'sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer((inner) => {
    const outer = createConnection({ host: '127.0.0.1', port: hostPort });
    for (const s of [inner, outer]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        inner.destroy();
        outer.destroy();
      });
    }
    inner.pipe(outer).pipe(inner);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const inside: ManagedProcess = startInNamespace(ns, process.execPath, ['-e', INSIDE, path]);
  const line = await inside.waitForLine(/^port \d+$/, 30_000, 'stdout');
  return {
    port: Number(line.split(' ')[1]),
    async stop() {
      await inside.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
