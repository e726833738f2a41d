/**
 * A node paired with the hub (real steward-agent pair and start --data-dir, MQTT in TLS pinned to the hub) runs a
 * discovery module declared at pairing: what it finds waits on the hub, the owner adopts it, and the agent keeps it
 * in its data folder. The hub signs the adoption with the RPC secret pairing gave the node.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@steward/device-adapters';
import { DISCOVERY_MODULE } from '@steward/simulators';
import { AGENT_BIN } from './helpers/agents.ts';
import { ADOPTION_HOME, simulatedEcosystem } from './helpers/adoption-node.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import type { TestHub } from './helpers/hub-start.ts';
import { startPairingHub, stopPairingHub } from './helpers/pairing-hub.ts';
import type { MqttCollector } from './helpers/mqtt-collector.ts';
import { startProcess, type ManagedProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

let t: TestHub;
let watcher: MqttCollector;
let agent: ManagedProcess | undefined;
let nodeId = '';
const agentDir = mkdtempSync(join(tmpdir(), 'stw-agent-disco-'));

beforeAll(async () => {
  ({ t, watcher } = await startPairingHub(writeHomeFile(ADOPTION_HOME)));
}, 60_000);

afterAll(() => stopPairingHub({ agent, watcher, t, agentDir }));

describe('a paired node with a discovery module', () => {
  it('declares the module at pairing; node.json keeps it, with its options', async () => {
    const window = await t.api.post('/api/pairing', {});
    const pair = startProcess(process.execPath, [
      AGENT_BIN, 'pair', '--code', window.body.qr, '--data-dir', agentDir, '--simulate', 'fan', '--discovery', DISCOVERY_MODULE, '--name', 'hall bridge', '--log-level', 'warn',
    ]);
    expect((await pair.exited).code, pair.stderr.join('\n')).toBe(0);
    nodeId = /^paired (n-[a-z2-7]{16}) /.exec(pair.stdout.find((l) => l.startsWith('paired '))!)![1]!;
    const nodeFile = join(agentDir, 'node.json');
    const node = JSON.parse(readFileSync(nodeFile, 'utf8'));
    expect(node.discovery).toEqual([{ module: DISCOVERY_MODULE, options: {} }]);
    // the owner gives the module its options in node.json: here, the simulated devices it finds
    node.discovery[0].options = simulatedEcosystem(join(agentDir, 'sim-control.json'));
    writeFileSync(nodeFile, JSON.stringify(node, null, 2));
  }, 60_000);

  it('starts, reports what it found, and hosts the device the owner adopts', async () => {
    agent = startProcess(process.execPath, [AGENT_BIN, 'start', '--data-dir', agentDir, '--log-level', 'warn']);
    await agent.waitForLine(new RegExp(`^ready ${nodeId} 1 devices `), 30_000, 'stdout');
    const list = await waitUntil(async () => {
      const a = (await t.api.get('/api/adoptions')).body.adoptions as { id: string; key: string; nodeId: string }[];
      return a.length === 4 && a;
    }, 'the paired node to report its four found devices');
    expect(list.map((a) => a.key).sort()).toEqual(['lamp-1', 'lock-1', 'plug-1', 'sensor-1']);
    expect(new Set(list.map((a) => a.nodeId))).toEqual(new Set([nodeId]));
    const lamp = list.find((a) => a.key === 'lamp-1')!;
    const r = await t.api.post(`/api/adoptions/${lamp.id}`, { name: '客厅落地灯', area: '客厅' });
    expect(r.status).toBe(201);
    expect(r.body.device).toMatchObject({ node: nodeId, area: 'living_room', names: { zh: ['客厅落地灯'] }, type: 'light' });
    const deviceId = r.body.device.id as string;
    expect(deviceId).toMatch(/^light_[0-9a-f]{4}$/);
    const said = await t.api.post('/api/command', { text: '打开客厅落地灯' });
    expect(said.body.actions).toMatchObject([{ deviceId, command: 'turnOn', ok: true }]);
    await watcher.waitForValue(topics.property(nodeId, deviceId, 'on'), (v) => v === 'true');
    const file = join(agentDir, 'adopted-devices.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).adopted).toMatchObject([{ ecosystem: 'sim', key: 'lamp-1', descriptor: { id: deviceId, type: 'light' } }]);
  }, 60_000);
});
