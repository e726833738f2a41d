/**
 * A whole hub (createHub, default features, no demo) as its own process, for tests that put it in a network
 * namespace: its HTTP listener on the given address, HTTPS on the given interface. Prints one JSON line
 * `{"event":"ready","httpUrl","httpsUrl"}` once it listens; stops on SIGTERM or when stdin ends.
 *
 *   node --conditions=source --import tsx tests/helpers/dashboard-hub-process.ts --data-dir D --http-host IP --interface IF
 */
import { parseArgs } from 'node:util';
import { createHub } from '@steward/hub';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, 'http-host': { type: 'string' }, interface: { type: 'string' } } });
const hub = createHub({
  dataDir: values['data-dir']!,
  httpHost: values['http-host']!,
  httpPort: 0,
  httpsPort: 0,
  mqttHost: '127.0.0.1',
  mqttPort: 0,
  mqttsPort: 0,
  logLevel: 'warn',
  mdnsInterfaces: [values.interface!],
});
await hub.start();
process.stdout.write(`${JSON.stringify({ event: 'ready', httpUrl: hub.httpUrl, httpsUrl: hub.httpsUrl })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await hub.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
