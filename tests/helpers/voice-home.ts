import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Home } from '@steward/device-adapters';
import { agentConfigForNode } from '@steward/simulators';
import { startAgentProcess, type AgentProcess } from './agents.ts';
import { subsetHome, writeHomeFile } from './hub-home.ts';
import { startTestHub, type TestHub } from './hub-start.ts';

export const CAR = 'car-head-unit';
export const KITCHEN = 'kitchen-hub';

/**
 * The car head unit and the kitchen hub for the voice-on-node tests: the car's media unit hears (microphone) and
 * speaks (audioOutput), the car has a light of its own, and the kitchen light starts off, so that a light turned on
 * in the wrong area would show. `moreNodes`: other nodes of the benchmark home, as they are.
 */
export function voiceHome(moreNodes: readonly string[] = []): Home {
  const home = subsetHome([CAR, KITCHEN, ...moreNodes]);
  return {
    ...home,
    devices: [
      ...home.devices.map((d) => {
        if (d.id === 'car_media') return { ...d, traits: [...d.traits, 'microphone', 'audioOutput'] as typeof d.traits };
        if (d.id === 'kitchen_light') return { ...d, state: { ...d.state, on: false } };
        return d;
      }),
      { id: 'car_light', node: CAR, area: 'car', type: 'light', names: { en: ['car light', 'cabin light'], zh: ['车灯'] }, traits: ['onOff'], attributes: {}, state: { on: false }, confirm: [] } as unknown as Home['devices'][number],
    ],
  };
}

export interface VoiceNodes {
  t: TestHub;
  /** in the order of `nodes` */
  agents: AgentProcess[];
  /** the admin's MQTT client, subscribed to `topics` (a node may not read another's voice topics) */
  watcher: mqtt.MqttClient;
  /** the simulators' audio folder: clips to hear, `played-<device>.wav` */
  audioDir: string;
  stop(): Promise<void>;
}

/**
 * A hub on the voice home and real agent processes for `nodes`, every simulated device with the audio folder (and
 * `driverOptions` of its own), and the admin watching `topics`.
 */
export async function startVoiceNodes(o: {
  home: Home;
  nodes: readonly string[];
  hub?: Record<string, unknown>;
  driverOptions?: (deviceId: string) => Record<string, unknown>;
  topics: string[];
  onMessage: (topic: string, payload: Buffer) => void;
  /** writes the clips into the audio folder before the agents start */
  clips?: (audioDir: string) => void;
}): Promise<VoiceNodes> {
  const audioDir = mkdtempSync(join(tmpdir(), 'steward-voice-node-'));
  o.clips?.(audioDir);
  const t = await startTestHub({ homeFile: writeHomeFile(o.home), ...o.hub });
  const agents: AgentProcess[] = [];
  let watcher: mqtt.MqttClient | undefined;
  const stop = async () => {
    await watcher?.endAsync();
    for (const a of agents.splice(0)) await a.stop();
    await t.stop();
    rmSync(audioDir, { recursive: true, force: true });
  };
  try {
    const credentials = JSON.parse(readFileSync(await t.provisionNodes([...o.nodes]), 'utf8'));
    for (const nodeId of o.nodes) {
      const config = agentConfigForNode(o.home, nodeId, { url: t.hub.mqttUrl, credentials });
      for (const d of config.devices ?? []) d.driver.options = { ...d.driver.options, audioDir, ...o.driverOptions?.(d.descriptor.id) };
      agents.push(await startAgentProcess(config));
    }
    await t.hub.waitForNodes([...o.nodes], 30_000);
    const login = await t.mqttAdmin();
    watcher = await mqtt.connectAsync(t.hub.mqttUrl, { ...login, clientId: `test-watch-${randomUUID().slice(0, 8)}`, protocolVersion: 4 });
    watcher.on('message', o.onMessage);
    await watcher.subscribeAsync(o.topics, { qos: 1 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { t, agents, watcher, audioDir, stop };
}
