/**
 * The hub's security side as its own process, for tests that put it in a network namespace: createHubSecurity
 * (certificate, admin token, credentials, ACL, pairing over HTTPS, mDNS) around a real aedes broker, and the
 * hub's own MQTT client to send RPC commands. Talks JSON lines: events on stdout, commands on stdin.
 *
 *   node --conditions=source --import tsx tests/helpers/pairing-hub-process.ts --data-dir D --interface IF
 *   stdin:  {"cmd":"open"} | {"cmd":"rpc","nodeId":…,"method":…,"body":{…}} | {"cmd":"revoke","nodeId":…}
 *   stdout: {"event":"ready",…} {"event":"window",…} {"event":"paired",…} {"event":"online",…} {"event":"rpc",…}
 */
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { parseTopic, topics, type RpcMethod } from '@steward/device-adapters';
import { openDatabase } from '@steward/hub/store/database.ts';
import { createHubSecurity } from '@steward/hub/pairing/hub-security.ts';
import type { PolicyDevice } from '@steward/hub/auth/controller-policy.ts';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, interface: { type: 'string', multiple: true } } });
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const logger = pino({ level: process.env.STEWARD_LOG_LEVEL ?? 'warn' }, pino.destination(2));

const devices = new Map<string, PolicyDevice>();
const db = openDatabase(values['data-dir']!);
const security = await createHubSecurity({
  dataDir: values['data-dir']!,
  db,
  logger,
  devices: (id) => devices.get(id),
  mdnsInterfaces: values.interface ?? [],
  httpsPort: 0,
  mqttsPort: 0,
  onNodePaired: (node, declared) => {
    for (const d of declared) devices.set(d.id, { ...d, nodeId: node.id, confirm: d.type === 'lock' ? ['unlock'] : [] });
    emit({ event: 'paired', node, devices: declared.map((d) => d.id) });
  },
});

const aedes = await Aedes.createBroker(security.brokerHooks);
const plain = createServer(aedes.handle);
await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
const { mqttsUrl } = await security.attachBroker({ handle: aedes.handle, aedes });
const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${(plain.address() as AddressInfo).port}`, {
  protocolVersion: 4,
  clientId: 'steward-hub-netns',
  reconnectPeriod: 0,
  ...security.hubMqttCredentials,
});
const pending = new Map<string, (r: unknown) => void>();
client.on('message', (topic, payload) => {
  const t = parseTopic(topic);
  if (t.kind === 'state' && payload.toString() === 'ready') emit({ event: 'online', nodeId: t.nodeId });
  if (t.kind === 'rpcResponse') {
    const r = JSON.parse(payload.toString()) as { id: string };
    pending.get(r.id)?.(r);
    pending.delete(r.id);
  }
});
await client.subscribeAsync(['steward/1/+/rpc/+/res', 'homie/5/+/$state'], { qos: 1 });
const { httpsUrl } = await security.startLan();
emit({ event: 'ready', hubId: security.hubId, fingerprint: security.certificate.fingerprint, httpsUrl, mqttsUrl });

async function handle(line: string): Promise<void> {
  const cmd = JSON.parse(line) as { cmd: string; nodeId?: string; method?: RpcMethod; body?: { id: string } };
  if (cmd.cmd === 'open') emit({ event: 'window', ...security.pairing.open({ actor: 'test' }) });
  else if (cmd.cmd === 'rpc') {
    const response = new Promise((resolve) => pending.set(cmd.body!.id, resolve));
    await client.publishAsync(topics.rpcRequest(cmd.nodeId!, cmd.method!), JSON.stringify(cmd.body), { qos: 1 });
    emit({ event: 'rpc', response: await response });
  } else if (cmd.cmd === 'revoke') emit({ event: 'revoked', report: await security.revoke(cmd.nodeId!, { actor: 'test' }) });
  else emit({ event: 'error', message: `unknown command ${cmd.cmd}` });
}
createInterface({ input: process.stdin }).on('line', (line) => handle(line).catch((e: Error) => emit({ event: 'error', message: e.message })));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await security.stop();
  await client.endAsync(true);
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  plain.close();
  db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
