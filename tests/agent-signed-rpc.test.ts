/**
 * The node agent's own half of the confirmation rule (issue 9, item 5), on a plain Mosquitto with no ACL at all,
 * where anyone may publish anything: a confirm-listed change (unlock, open) sent through Homie `/set` is refused,
 * and an RPC `command` for one runs only when it carries the hub's HMAC (right secret, fresh timestamp, unseen id).
 * A real `steward-agent` process with a secret the test knows shows every refusal and its error code; the real hub
 * on the same Mosquitto (external broker mode) provisions its demo node's secret and unlocks only after the owner's
 * confirmation, while a forged RPC from another client is refused by that node.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRpcSecret, signCommand, topics } from '@steward/device-adapters';
import { startMosquitto, type TestMosquitto } from './helpers/mosquitto.ts';
import { simulatedNodeConfig, startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';
import { freePort } from './helpers/ports.ts';
import { waitUntil } from './helpers/wait.ts';

const run = promisify(execFile);
const CAR = 'car-head-unit';
const SECRET = newRpcSecret();

let broker: TestMosquitto;
let agent: AgentProcess;
let mqtt: MqttCollector;

beforeAll(async () => {
  broker = await startMosquitto();
  agent = await startAgentProcess({ ...simulatedNodeConfig(CAR, broker.url, { timeScale: 50 }), rpcSecret: SECRET });
  mqtt = await MqttCollector.connect(broker.url, [`homie/5/${CAR}/#`]);
}, 60_000);

afterAll(async () => {
  await mqtt?.close();
  await agent?.stop();
  await broker?.stop();
});

const host = () => ['-h', '127.0.0.1', '-p', String(broker.port), '-V', 'mqttv311'];

async function carState(deviceId: string): Promise<Record<string, unknown>> {
  const snap = await mqtt.rpc(CAR, 'snapshot');
  return (snap.devices as Record<string, { state: Record<string, unknown> }>)[deviceId]!.state;
}

/** a command request as the hub would send it, signed with `secret` (or as given) */
function signed(body: { deviceId: string; command: string; params?: Record<string, unknown> }, secret = SECRET, ts = Date.now()) {
  const id = randomUUID();
  const params = body.params ?? {};
  return { id, deviceId: body.deviceId, command: body.command, params, auth: signCommand(secret, { nodeId: CAR, id, deviceId: body.deviceId, command: body.command, params }, ts) };
}

describe('a node agent on a plain Mosquitto', () => {
  it('refuses an unlock through /set: the lock stays locked, the agent logs FORBIDDEN', async () => {
    await run('mosquitto_pub', [...host(), '-t', `homie/5/${CAR}/car-lock/locked/set`, '-m', 'false'], { timeout: 10_000 });
    const line = await agent.waitForLine(/refused \/set/, 10_000, 'stderr');
    expect(JSON.parse(line)).toMatchObject({ deviceId: 'car_lock', field: 'locked', command: 'unlock', code: 'FORBIDDEN' });
    expect(await carState('car_lock')).toEqual({ locked: true });
    expect(mqtt.latest(topics.property(CAR, 'car_lock', 'locked'))).toBe('true');
  });

  it('refuses opening the trunk through /set, and still takes a /set that no rule covers', async () => {
    await run('mosquitto_pub', [...host(), '-t', `homie/5/${CAR}/car-trunk/position/set`, '-m', '100'], { timeout: 10_000 });
    await waitUntil(() => agent.stderr.some((l) => l.includes('refused /set') && l.includes('car_trunk')), 'the trunk /set refused');
    // the car windows have no rule in the home file: a window's type default (open) holds on the agent anyway
    await run('mosquitto_pub', [...host(), '-t', `homie/5/${CAR}/car-windows/position/set`, '-m', '50'], { timeout: 10_000 });
    await waitUntil(() => agent.stderr.some((l) => l.includes('refused /set') && l.includes('car_windows')), 'the windows /set refused');
    await run('mosquitto_pub', [...host(), '-t', `homie/5/${CAR}/car-seat-heater/level/set`, '-m', '2'], { timeout: 10_000 });
    await mqtt.waitForValue(topics.property(CAR, 'car_seat_heater', 'level'), (v) => v === '2');
    expect(await carState('car_trunk')).toEqual({ position: 0 });
    expect(await carState('car_windows')).toEqual({ position: 0 });
    expect(mqtt.latest(topics.target(CAR, 'car_trunk', 'position'))).toBe('0');
  });

  it('refuses a forged RPC unlock: unsigned, signed with a wrong secret, tampered with, or stale', async () => {
    const unsigned = await mqtt.rpc(CAR, 'command', { deviceId: 'car_lock', command: 'unlock' });
    expect(unsigned).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('not signed') } });

    const wrongSecret = await mqtt.rpc(CAR, 'command', signed({ deviceId: 'car_lock', command: 'unlock' }, newRpcSecret()));
    expect(wrongSecret).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('signature does not match') } });

    // a genuine signature for "lock" does not carry over to "unlock"
    const tampered = { ...signed({ deviceId: 'car_lock', command: 'lock' }), command: 'unlock' };
    expect(await mqtt.rpc(CAR, 'command', tampered)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('signature does not match') } });

    const stale = await mqtt.rpc(CAR, 'command', signed({ deviceId: 'car_lock', command: 'unlock' }, SECRET, Date.now() - 5 * 60_000));
    expect(stale).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('timestamp') } });

    const trunk = await mqtt.rpc(CAR, 'command', { deviceId: 'car_trunk', command: 'open' });
    expect(trunk).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    expect(await carState('car_lock')).toEqual({ locked: true });
    expect(await carState('car_trunk')).toEqual({ position: 0 });
    expect(mqtt.latest(topics.property(CAR, 'car_lock', 'locked'))).toBe('true');
  });

  it('runs an unlock signed with its secret once; the same request again changes nothing', async () => {
    const request = signed({ deviceId: 'car_lock', command: 'unlock' });
    expect(await mqtt.rpc(CAR, 'command', request)).toMatchObject({ ok: true, state: { locked: false } });
    expect(await carState('car_lock')).toEqual({ locked: false });
    // locking needs no proof
    expect(await mqtt.rpc(CAR, 'command', { deviceId: 'car_lock', command: 'lock' })).toMatchObject({ ok: true, state: { locked: true } });
    // a replay of the recorded unlock: answered from memory, never executed again
    await mqtt.rpc(CAR, 'command', request);
    // once the agent's reply memory (512 requests) has moved on, the recorded id itself is refused
    for (let i = 0; i < 6; i++) await Promise.all(Array.from({ length: 100 }, () => mqtt.rpc(CAR, 'snapshot')));
    expect(await mqtt.rpc(CAR, 'command', request)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('already used') } });
    // and with the same signature under a new id: the MAC covers the id
    expect(await mqtt.rpc(CAR, 'command', { ...request, id: randomUUID() })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await carState('car_lock')).toEqual({ locked: true });
    expect(mqtt.latest(topics.property(CAR, 'car_lock', 'locked'))).toBe('true');
  });
});

describe('the hub on the same Mosquitto (external broker mode)', () => {
  const home = subsetHome(['hallway-gateway']);
  let t: TestHub;
  let nodes: NodeReports;

  const dataDir = tempDataDir();

  beforeAll(async () => {
    const homeFile = writeHomeFile(home);
    // the same data dir ran the demo on the embedded broker first: its database holds that node's credentials, which
    // must not decide the secret on the external broker
    const embedded = await startTestHub({ homeFile, demo: true, dataDir });
    await embedded.stop();
    t = await startTestHub({ homeFile, demo: true, dataDir, mqttUrl: broker.url, mqttPort: await freePort() });
    nodes = await NodeReports.connect(broker.url, home);
  }, 60_000);

  afterAll(async () => {
    await nodes?.close();
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('provisions its demo node an RPC secret (no MQTT login: the broker has its own users), file 0600', () => {
    const file = join(t.dataDir, 'demo-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(creds)).toEqual(['hallway-gateway']);
    expect(Object.keys(creds['hallway-gateway'])).toEqual(['rpcSecret']);
    expect(creds['hallway-gateway'].rpcSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a forged RPC unlock published by another client is refused by the demo node', async () => {
    const forger = await MqttCollector.connect(broker.url, []);
    try {
      const id = randomUUID();
      const forged = { id, deviceId: 'front_door_lock', command: 'unlock', params: {}, auth: signCommand(newRpcSecret(), { nodeId: 'hallway-gateway', id, deviceId: 'front_door_lock', command: 'unlock', params: {} }) };
      expect(await forger.rpc('hallway-gateway', 'command', forged)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await forger.rpc('hallway-gateway', 'command', { deviceId: 'front_door_lock', command: 'unlock' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      await forger.close();
    }
    expect((await nodes.snapshot('hallway-gateway')).front_door_lock!.state).toEqual({ locked: true });
  });

  it('a genuine unlock works after the owner confirms it: direct API, then a sentence and "yes"', async () => {
    const r = await t.api.post('/api/devices/front_door_lock/commands', { command: 'unlock' });
    expect(r.status).toBe(202);
    expect((await nodes.snapshot('hallway-gateway')).front_door_lock!.state).toEqual({ locked: true });
    const settled = await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'confirm' });
    expect(settled.status).toBe(200);
    expect(settled.body.actions).toEqual([expect.objectContaining({ deviceId: 'front_door_lock', ok: true, state: { locked: false } })]);
    await nodes.waitForValue('front_door_lock', 'locked', false);

    expect((await t.api.post('/api/devices/front_door_lock/commands', { command: 'lock' })).status).toBe(200);
    await nodes.waitForValue('front_door_lock', 'locked', true);
    const held = await t.api.post('/api/command', { text: 'unlock the front door', conversationId: 'mosquitto-yes' });
    expect(held.body.awaitingConfirmation).toBe(true);
    const yes = await t.api.post('/api/command', { text: 'yes', conversationId: 'mosquitto-yes' });
    expect(yes.body.actions).toEqual([expect.objectContaining({ deviceId: 'front_door_lock', command: 'unlock', ok: true })]);
    await nodes.waitForValue('front_door_lock', 'locked', false);
    expect((await nodes.snapshot('hallway-gateway')).front_door_lock!.state).toEqual({ locked: false });
  });
});
