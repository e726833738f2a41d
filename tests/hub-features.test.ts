/**
 * The hub assembled from a subset of its features (issue 8): store, registry, security, broker, transport,
 * gateway, understanding, conversation and the API, without pairing, mDNS or the demo. A real node-agent process
 * with its own credentials joins the embedded broker; commands go through the API and the conversation pipeline,
 * and the test reads the device state the node itself publishes (Homie, over MQTT). The hub's one clock is a
 * ManualClock here: a scheduled command runs when the test moves time, not after five real minutes.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@steward/device-adapters';
import { configure, createHub, defaultFeatures, orderFeatures, type AnyFeature, type Hub } from '@steward/hub';
import { ManualClock } from '@steward/hub/core/clock.ts';
import { apiFeature } from '@steward/hub/api/feature.ts';
import { securityFeature } from '@steward/hub/auth/feature.ts';
import { brokerFeature } from '@steward/hub/broker/feature.ts';
import { conversationFeature } from '@steward/hub/conversation/feature.ts';
import { gatewayFeature } from '@steward/hub/gateway/feature.ts';
import { registryFeature } from '@steward/hub/registry/feature.ts';
import { storeFeature } from '@steward/hub/store/feature.ts';
import { transportFeature } from '@steward/hub/transport/feature.ts';
import { understandingFeature } from '@steward/hub/understanding/feature.ts';
import { BENCHMARK_HOME, simulatedNodeConfig, startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { readAdminToken, tempDataDir } from './helpers/hub-start.ts';
import { apiClient, type ApiClient } from './helpers/hub-http.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';

const NODE = 'living-room-gateway';
const LIGHT = 'living_room_light';

describe('a hub built from a subset of features', () => {
  const clock = new ManualClock(Date.parse('2026-01-01T08:00:00Z'));
  let dataDir: string;
  let hub: Hub;
  let api: ApiClient;
  let agent: AgentProcess;
  let watcher: MqttCollector;

  beforeAll(async () => {
    dataDir = tempDataDir();
    hub = createHub(
      // flat fields and a feature's own slice side by side
      { homeFile: BENCHMARK_HOME, dataDir, mqttPort: 0, mqttsPort: 0, logLevel: 'error', api: { port: 0 } },
      {
        clock,
        // listed out of order on purpose: the hub orders them by what each needs
        features: [
          apiFeature(),
          conversationFeature(),
          understandingFeature(),
          gatewayFeature(),
          transportFeature(),
          brokerFeature(),
          securityFeature(),
          registryFeature(),
          storeFeature(),
        ],
      },
    );
    await hub.start();
    api = apiClient(hub.httpUrl, { token: readAdminToken(dataDir) });

    // the node gets its own credentials (node role, its own topics only), as the demo's nodes do
    const file = await hub.security.provisionDemo([NODE], join(dataDir, 'node-credentials.json'));
    const login = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { username: string; password: string }>)[NODE]!;
    const config = simulatedNodeConfig(NODE, hub.mqttUrl, { devices: [LIGHT] });
    config.mqtt = { ...config.mqtt, username: login.username, password: login.password };
    agent = await startAgentProcess(config, { logLevel: 'warn' });
    await hub.waitForNodes([NODE]);

    // an admin MQTT login made through the API, to read what the node publishes
    const admin = await api.post('/api/mqtt-credentials', { role: 'admin', username: 'features-test' });
    expect(admin.status).toBe(200);
    watcher = await MqttCollector.connect(hub.mqttUrl, [`homie/5/${NODE}/#`], { username: admin.body.username, password: admin.body.password });
  }, 60_000);

  afterAll(async () => {
    await watcher?.client.endAsync();
    await agent?.stop();
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts only the listed features, in dependency order, and serves only their routes', async () => {
    expect(hub.features).toEqual(['store', 'registry', 'security', 'broker', 'transport', 'gateway', 'understanding', 'conversation', 'api']);
    expect(hub.httpsUrl).toBeUndefined();
    expect(hub.demo).toBeUndefined();
    expect(() => hub.feature('pairing')).toThrow(/pairing is not started/);
    expect(hub.mqttsUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);

    const schema = await api.get('/api/schema');
    expect(Object.keys(schema.body.paths).sort()).toEqual(
      ['/api/audit', '/api/command', '/api/confirmations', '/api/confirmations/{id}', '/api/devices', '/api/devices/{id}', '/api/devices/{id}/commands', '/api/health', '/api/mqtt-credentials', '/api/nodes', '/api/nodes/{id}', '/api/nodes/{id}/revoke', '/api/schedules', '/api/session'].sort(),
    );
    expect((await api.post('/api/pairing', {})).status).toBe(404);
    // security kept: no token, no command
    expect((await apiClient(hub.httpUrl).post('/api/command', { text: 'turn on the living room light' })).status).toBe(401);
  });

  it('runs a command through the API and the pipeline to the real node, which reports the new state', async () => {
    const on = await api.post('/api/command', { text: 'turn on the living room light' });
    expect(on.status).toBe(200);
    expect(on.body.actions).toEqual([{ deviceId: LIGHT, command: 'turnOn', params: {}, ok: true, state: { on: true, brightness: 80, colorTempK: 4000 } }]);
    await watcher.waitForValue(topics.property(NODE, LIGHT, 'on'), (v) => v === 'true');
    expect(hub.snapshot()[LIGHT]).toMatchObject({ on: true });

    const dim = await api.post('/api/command', { text: 'set the living room light to 30 percent' });
    expect(dim.body.actions).toEqual([{ deviceId: LIGHT, command: 'setBrightness', params: { brightness: 30 }, ok: true, state: { on: true, brightness: 30, colorTempK: 4000 } }]);
    await watcher.waitForValue(topics.property(NODE, LIGHT, 'brightness'), (v) => v === '30');
  });

  it("runs a scheduled command on the hub's clock: nothing happens until the test moves time", async () => {
    const reply = await api.post('/api/command', { text: 'turn off the living room light in 5 minutes' });
    expect(reply.body).toMatchObject({ actions: [], awaitingConfirmation: false, reply: expect.stringMatching(/in 5 minutes/) });
    expect(clock.pending).toBeGreaterThanOrEqual(1);
    clock.advance(4 * 60_000);
    expect(hub.snapshot()[LIGHT]).toMatchObject({ on: true });
    clock.advance(60_000);
    await watcher.waitForValue(topics.property(NODE, LIGHT, 'on'), (v) => v === 'false');
    expect(hub.snapshot()[LIGHT]).toMatchObject({ on: false });
  });
});

describe('feature order and configuration slices', () => {
  it('orders features by what they need and use, keeps the listed order otherwise, and names a missing need or a cycle', () => {
    const f = (name: string, needs: string[] = [], uses: string[] = []) => ({ name, needs, uses, start: () => undefined }) as unknown as AnyFeature;
    expect(orderFeatures([f('api', ['registry'], ['security']), f('security', ['store']), f('registry', ['store']), f('store')]).map((x) => x.name)).toEqual([
      'store',
      'registry',
      'security',
      'api',
    ]);
    // a used feature that is absent is fine
    expect(orderFeatures([f('api', [], ['security'])]).map((x) => x.name)).toEqual(['api']);
    expect(() => orderFeatures([f('api', ['registry'])])).toThrow('feature api needs registry, which this hub does not have');
    expect(() => orderFeatures([f('a', ['b']), f('b', ['a'])])).toThrow('features depend on each other: a → b → a');
    expect(() => orderFeatures([f('a'), f('a')])).toThrow('feature a is listed twice');
  });

  it('fills each slice from the flat fields and from its own key, and names every bad field', () => {
    const features = defaultFeatures();
    const { flat, slices } = configure(features, { httpPort: 0, mqttUrl: 'mqtt://127.0.0.1:1883', api: { host: '0.0.0.0' }, demo: { timeScale: 60 }, pairing: { windowMs: 5000 } });
    expect(slices.api).toEqual({ host: '0.0.0.0', port: 0, bodyLimitBytes: 16 * 1024 });
    expect(slices.broker).toEqual({ host: '127.0.0.1', port: 1883, url: 'mqtt://127.0.0.1:1883', maxPacketBytes: 512 * 1024 });
    expect(slices.demo).toEqual({ enabled: false, timeScale: 60, nodesOnlineTimeoutMs: 30_000, awaitOnline: true });
    expect(slices.pairing).toMatchObject({ windowMs: 5000, httpsPort: 8443, maxFailures: 20 });
    // the flat view shows what the features run with
    expect(flat).toMatchObject({ httpHost: '0.0.0.0', httpPort: 0, timeScale: 60, demo: false });

    expect(() => configure(features, { api: { port: 70000 }, transport: { rpcTimeoutMs: -1 } })).toThrow(
      'invalid hub configuration: transport.rpcTimeoutMs: Too small: expected number to be >0; api.port: a port is 0 (any free port) to 65535',
    );
    expect(() => configure(features, { planner: { model: 'x' } })).toThrow(/planner: no such setting or feature slice/);
    expect(() => configure(features, { httpPort: 'eighty' })).toThrow(/invalid hub configuration: httpPort/);
  });
});
