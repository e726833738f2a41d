/**
 * The broker ACL with real parts: a real aedes broker on loopback with createHubSecurity's hooks, credentials in a
 * real SQLite file, the controller policy taken from the real registry seeded with the benchmark home, real mqtt.js
 * clients for each role, and a real node-agent process running under per-node credentials.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@steward/hub/store/database.ts';
import { RegistryStore } from '@steward/hub/store/registry-store.ts';
import { StateStore } from '@steward/hub/store/state-store.ts';
import { Registry } from '@steward/hub/registry/registry.ts';
import { createHubSecurity, type HubSecurity } from '@steward/hub/pairing/hub-security.ts';
import { provisionNodeCredentials } from '@steward/hub/pairing/demo-credentials.ts';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { FleetCredentialsSchema } from '@steward/simulators';
import { SIM_BIN, benchmarkHome, simulatedNodeConfig, startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { startProcess } from './helpers/processes.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';
import { stopAllProcesses } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const A = 'living-room-gateway';
const B = 'hallway-gateway';
const CAR = 'car-head-unit';

describe('broker ACL: who may connect, publish and subscribe', () => {
  let dir: string;
  let db: Db;
  let security: HubSecurity;
  let broker: TestBroker;
  let creds: Record<string, { username: string; password: string }>;
  let controller: { username: string; password: string };
  let watcher: MqttCollector;
  const clients: MqttClient[] = [];
  let agent: AgentProcess | undefined;

  const connect = async (opts: IClientOptions) => {
    const c = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    clients.push(c);
    return c;
  };
  const asNode = (nodeId: string) => connect({ clientId: `steward-agent-${nodeId}`, ...creds[nodeId] });
  const refusal = (opts: IClientOptions) => connect(opts).then(() => undefined, (e: { code?: number; message: string }) => e);
  let sentinels = 0;
  /** a message from B after `client` was closed: everything `client` sent earlier has been delivered by then */
  const afterClose = async (client: MqttClient) => {
    await waitUntil(() => client.disconnected || !client.connected, 'the broker to close the refused client', 5000);
    const topic = `homie/5/${B}/sentinel-${++sentinels}`;
    const b = await asNode(B);
    await b.publishAsync(topic, 'x', { qos: 1 });
    await watcher.waitFor((m) => m.topic === topic, 5000, topic);
    await b.endAsync();
  };
  /** the QoS the broker granted; 128 = refused (mqtt.js 5 rejects the promise then, with the SUBACK attached) */
  const granted = async (client: MqttClient, filter: string): Promise<number> => {
    try {
      return (await client.subscribeAsync(filter, { qos: 1 }))[0]!.qos;
    } catch (e) {
      const suback = (e as { packet?: { granted?: number[] } }).packet;
      if (suback?.granted) return suback.granted[0]!;
      throw e;
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stw-acl-'));
    db = openDatabase(dir);
    const registryStore = new RegistryStore(db);
    registryStore.seedFromHome(benchmarkHome());
    const registry = new Registry(registryStore, new StateStore(db), pino({ level: 'silent' }));
    security = await createHubSecurity({ dataDir: dir, db, logger: pino({ level: 'silent' }), devices: (id) => registry.device(id) });
    broker = await startAedes({ options: security.brokerHooks });
    creds = await provisionNodeCredentials(security.credentials, [A, B, CAR]);
    const issued = await security.credentials.issue({ username: 'home-assistant', role: 'controller', source: 'admin' });
    controller = { username: issued.username, password: issued.password };
    watcher = await MqttCollector.connect(broker.url, [], { ...security.hubMqttCredentials, clientId: 'steward-hub-watcher' } as never);
    await watcher.subscribe(['homie/5/#', 'steward/1/#']);
  }, 30_000);

  afterAll(async () => {
    await agent?.stop();
    await stopAllProcesses();
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    await watcher?.client.endAsync(true);
    await broker?.stop();
    await security?.stop();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses unauthenticated, unknown and wrong-password clients', async () => {
    expect(await refusal({ clientId: 'anon' })).toMatchObject({ code: 5 });
    expect(await refusal({ clientId: 'x1', username: 'nobody', password: 'whatever-long-enough' })).toMatchObject({ code: 4 });
    expect(await refusal({ clientId: `steward-agent-${A}`, username: A, password: `${creds[A]!.password}x` })).toMatchObject({ code: 4 });
    // a node's password is not another node's
    expect(await refusal({ clientId: `steward-agent-${A}`, username: A, password: creds[B]!.password })).toMatchObject({ code: 4 });
  });

  it("refuses a client id that would take over another node's or the hub's session", async () => {
    expect(await refusal({ clientId: `steward-agent-${B}`, ...creds[A] })).toMatchObject({ code: 2 });
    expect(await refusal({ clientId: 'steward-hub-1', ...creds[A] })).toMatchObject({ code: 2 });
    expect(await refusal({ clientId: 'steward-agent-x', ...controller })).toMatchObject({ code: 2 });
  });

  it('lets node A use its own topics', async () => {
    const a = await asNode(A);
    expect(await granted(a, `steward/1/${A}/rpc/+/req`)).toBe(1);
    expect(await granted(a, `homie/5/${A}/+/+/set`)).toBe(1);
    const got: string[] = [];
    a.on('message', (t) => got.push(t));
    const hub = await connect({ clientId: 'steward-hub-acl', ...security.hubMqttCredentials });
    await hub.publishAsync(`steward/1/${A}/rpc/command/req`, '{"id":"1"}', { qos: 1 });
    await waitUntil(() => got.includes(`steward/1/${A}/rpc/command/req`), 'A to receive its RPC request');
    await a.publishAsync(`steward/1/${A}/rpc/command/res`, '{"id":"1","ok":true}', { qos: 1 });
    await a.publishAsync(`homie/5/${A}/$state`, 'ready', { qos: 1, retain: true });
    await watcher.waitFor((m) => m.topic === `steward/1/${A}/rpc/command/res`);
    await watcher.waitFor((m) => m.topic === `homie/5/${A}/$state` && m.payload === 'ready');
    await a.endAsync();
  });

  it("refuses node A's subscriptions to node B's topics, the hub's and everyone's", async () => {
    const a = await asNode(A);
    for (const filter of [
      `steward/1/${B}/rpc/+/req`,
      `steward/1/+/rpc/+/req`,
      `steward/1/+/rpc/+/res`,
      `steward/1/${A}/rpc/+/res`,
      `homie/5/${B}/#`,
      'homie/5/+/$state',
      'homie/5/#',
      '#',
      '$SYS/#',
    ]) {
      expect(await granted(a, filter), filter).toBe(128);
    }
    // still connected: a refused subscription is refused, not punished
    expect(a.connected).toBe(true);
    expect(await granted(a, `homie/5/${A}/#`)).toBe(1);
    await a.endAsync();
  });

  it("refuses node A's publishes to node B's topics and the hub's (not delivered, A disconnected)", async () => {
    for (const topic of [
      `homie/5/${B}/$state`,
      `homie/5/${B}/front-door-lock/locked/set`,
      `steward/1/${B}/rpc/command/req`,
      `steward/1/${B}/rpc/command/res`,
      `steward/1/${A}/rpc/command/req`,
      'steward/1/hub/events',
    ]) {
      const a = await asNode(A);
      const since = watcher.messages.length;
      await a.publishAsync(topic, 'forged', { qos: 0 });
      await afterClose(a);
      expect(watcher.find((m) => m.topic === topic && m.payload === 'forged', since), topic).toBeUndefined();
    }
  });

  it('lets a controller read homie/5/# and /set a light, but not unlock a lock or open a trunk', async () => {
    const c = await connect({ clientId: 'ha-acl', ...controller });
    expect(await granted(c, 'homie/5/#')).toBe(1);
    expect(await granted(c, 'steward/1/+/rpc/+/res')).toBe(128);
    expect(await granted(c, '#')).toBe(128);

    const a = await asNode(A);
    const sets: string[] = [];
    a.on('message', (t, p) => sets.push(`${t}=${p.toString()}`));
    await a.subscribeAsync(`homie/5/${A}/+/+/set`, { qos: 1 });
    await c.publishAsync(`homie/5/${A}/living-room-light/on/set`, 'true', { qos: 1 });
    await waitUntil(() => sets.includes(`homie/5/${A}/living-room-light/on/set=true`), 'the light /set to reach its node');

    for (const [topic, payload, retain] of [
      [`homie/5/${B}/front-door-lock/locked/set`, 'false', false],
      [`homie/5/${CAR}/car-trunk/position/set`, '100', false],
      // read-only field, unknown device, a device on another node than the topic says, retained /set, RPC
      [`homie/5/${A}/living-room-sensor/temperature-c/set`, '30', false],
      [`homie/5/${A}/no-such-device/on/set`, 'true', false],
      [`homie/5/${B}/living-room-light/on/set`, 'true', false],
      [`homie/5/${A}/living-room-light/on/set`, 'false', true],
      [`steward/1/${A}/rpc/command/req`, '{}', false],
    ] as const) {
      const ctl = await connect({ clientId: `ha-${sentinels}`, ...controller });
      const since = watcher.messages.length;
      await ctl.publishAsync(topic, payload, { qos: 0, retain });
      await afterClose(ctl);
      expect(watcher.find((m) => m.topic === topic && m.payload === payload, since), topic).toBeUndefined();
    }
    await a.endAsync();
    await c.endAsync();
  });

  it('runs a real node agent under its per-node credentials and the hub commands it', async () => {
    const config = simulatedNodeConfig(B, broker.url, { devices: ['hallway_light'] });
    config.mqtt = { ...config.mqtt, ...creds[B] };
    agent = await startAgentProcess(config, { logLevel: 'warn' });
    const hub = await MqttCollector.connect(broker.url, [`steward/1/${B}/rpc/+/res`], { ...security.hubMqttCredentials, clientId: 'steward-hub-rpc' } as never);
    await hub.client.publishAsync(`steward/1/${B}/rpc/command/req`, JSON.stringify({ id: 'acl-1', deviceId: 'hallway_light', command: 'turnOn', params: {} }), { qos: 1 });
    const res = await hub.waitFor((m) => m.topic === `steward/1/${B}/rpc/command/res`);
    expect(JSON.parse(res.payload)).toMatchObject({ id: 'acl-1', ok: true, state: { on: true } });
    await watcher.waitFor((m) => m.topic === `homie/5/${B}/hallway-light/on` && m.payload === 'true');
    // nothing in the agent's own traffic was refused
    expect(agent.stderr.filter((l) => /refused|not authorized/i.test(l))).toEqual([]);
    await hub.client.endAsync();
  }, 40_000);

  it('runs demo nodes from a provisioned credentials file (steward-sim --credentials) under the same ACL', async () => {
    const home = benchmarkHome();
    const small = { ...home, nodes: home.nodes.filter((n) => n.id === CAR), devices: home.devices.filter((d) => d.node === CAR), scenes: [] };
    const homeFile = join(dir, 'car-home.json');
    writeFileSync(homeFile, JSON.stringify(small));
    const file = await security.provisionDemo([CAR], join(dir, 'demo-credentials.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const parsed = FleetCredentialsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    // a fresh password: the one provisioned earlier in this file no longer works
    expect(parsed[CAR]!.password).not.toBe(creds[CAR]!.password);
    expect(await refusal({ clientId: `steward-agent-${CAR}`, ...creds[CAR] })).toMatchObject({ code: 4 });
    const sim = startProcess(process.execPath, [SIM_BIN, 'home', homeFile, '--hub', broker.url, '--credentials', file, '--log-level', 'warn']);
    try {
      await sim.waitForLine(/^fleet ready: 1 nodes/, 30_000, 'stdout');
      await watcher.waitFor((m) => m.topic === `homie/5/${CAR}/$state` && m.payload === 'ready');
      // it connected as a node with demo credentials, through the same authenticate hook as a paired node
      expect(security.acl.sessions(CAR)).toHaveLength(1);
      expect(security.credentials.get(CAR)).toMatchObject({ role: 'node', source: 'demo' });
    } finally {
      await sim.stop();
    }
  }, 40_000);
});
