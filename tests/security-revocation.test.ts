/**
 * Revocation with real parts: a real aedes broker on loopback with the ACL hooks and its retained store attached,
 * a real node-agent process connected under its per-node credentials (it publishes retained Homie topics and a
 * last will), credentials and audit log in a real SQLite file. One call revokes; the test waits (bounded) for the
 * disconnect and checks that the node cannot come back, that nothing of it stays retained, and the audit entry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@steward/hub/store/database.ts';
import { createHubSecurity, type HubSecurity } from '@steward/hub/pairing/hub-security.ts';
import { provisionNodeCredentials } from '@steward/hub/pairing/demo-credentials.ts';
import { aedesBrokerControl } from '@steward/hub/auth/broker-control.ts';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { simulatedNodeConfig, startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';
import { stopAllProcesses } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const NODE = 'hallway-gateway';
const OTHER = 'bathroom-hub';

describe('revoking a node', () => {
  let dir: string;
  let db: Db;
  let security: HubSecurity;
  let broker: TestBroker;
  let agent: AgentProcess | undefined;
  let hub: MqttCollector;
  let creds: Record<string, { username: string; password: string }>;

  const retained = (aedes: Aedes, filter: string) => aedesBrokerControl(aedes).retainedTopics(filter);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stw-revoke-'));
    db = openDatabase(dir);
    security = await createHubSecurity({ dataDir: dir, db, logger: pino({ level: 'silent' }), devices: () => undefined, mqttsPort: 0 });
    broker = await startAedes({ options: security.brokerHooks });
    await security.attachBroker({ handle: broker.broker.handle, aedes: broker.broker });
    creds = await provisionNodeCredentials(security.credentials, [NODE, OTHER], { audit: security.audit });
    hub = await MqttCollector.connect(broker.url, ['homie/5/+/$state'], { ...security.hubMqttCredentials, clientId: 'steward-hub-revoke' } as never);
    const config = simulatedNodeConfig(NODE, broker.url, { devices: ['hallway_light', 'front_door_lock'], reconnect: { minMs: 100, maxMs: 200 } });
    config.mqtt = { ...config.mqtt, ...creds[NODE] };
    agent = await startAgentProcess(config, { logLevel: 'info' });
  }, 40_000);

  afterAll(async () => {
    await agent?.stop();
    await stopAllProcesses();
    await hub?.client.endAsync(true);
    await broker?.stop();
    await security?.stop();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('disconnects the live session, refuses reconnects, clears retained topics and writes an audit entry', async () => {
    await hub.waitFor((m) => m.topic === `homie/5/${NODE}/$state` && m.payload === 'ready');
    const before = await retained(broker.broker, `homie/5/${NODE}/#`);
    expect(before).toEqual(expect.arrayContaining([`homie/5/${NODE}/$state`, `homie/5/${NODE}/$description`, `homie/5/${NODE}/hallway-light/on`, `homie/5/${NODE}/front-door-lock/locked`]));
    expect(security.acl.sessions(NODE)).toHaveLength(1);

    const report = await security.revoke(NODE, { actor: 'test' });
    expect(report).toMatchObject({ nodeId: NODE, credentialsDeleted: [NODE], sessionsClosed: 1 });
    expect(report.retainedCleared.sort()).toEqual([...before].sort());

    // the agent notices it lost the broker (bounded wait)
    await waitUntil(() => agent!.stderr.some((l) => l.includes('connection lost')), 'the agent to lose its connection', 10_000);
    expect(security.acl.sessions(NODE)).toHaveLength(0);

    // it cannot come back: the old password is refused (the agent keeps trying; the broker keeps refusing)
    const again = await mqtt
      .connectAsync(broker.url, { protocolVersion: 4, clientId: `steward-agent-${NODE}`, reconnectPeriod: 0, ...creds[NODE] })
      .then(() => undefined, (e: { code?: number }) => e);
    expect(again).toMatchObject({ code: 4 });
    await waitUntil(() => agent!.stderr.filter((l) => /Bad username or password|Not authorized/i.test(l)).length >= 1, 'the agent to be refused on reconnect', 10_000);

    // nothing of the node stays retained, and its last will ("lost") was refused rather than re-retained
    expect(await retained(broker.broker, `homie/5/${NODE}/#`)).toEqual([]);
    expect(await retained(broker.broker, `steward/1/${NODE}/#`)).toEqual([]);
    const fresh = await MqttCollector.connect(broker.url, [], { ...security.hubMqttCredentials, clientId: 'steward-hub-fresh' } as never);
    // one SUBSCRIBE: aedes sends the retained messages of its filters in order, so the sentinel comes last
    await hub.client.publishAsync('homie/5/sentinel/$state', 'ready', { qos: 1, retain: true });
    await fresh.subscribe([`homie/5/${NODE}/#`, 'homie/5/sentinel/$state']);
    await fresh.waitFor((m) => m.topic === 'homie/5/sentinel/$state');
    expect(fresh.messages.filter((m) => m.topic.startsWith(`homie/5/${NODE}/`))).toEqual([]);
    expect(hub.find((m) => m.topic === `homie/5/${NODE}/$state` && m.payload === 'lost')).toBeUndefined();
    await fresh.client.endAsync();

    // another node is untouched
    const other = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: `steward-agent-${OTHER}`, reconnectPeriod: 0, ...creds[OTHER] });
    await other.endAsync();

    const [entry] = security.audit.list({ kind: 'node.revoked' });
    expect(entry).toMatchObject({ actor: 'test', subject: NODE, detail: { credentialsDeleted: [NODE], sessionsClosed: 1, retainedCleared: before.length } });
  }, 40_000);

  it('says when there is nothing to revoke', async () => {
    await expect(security.revoke('never-paired', { actor: 'test' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
