import { rmSync } from 'node:fs';
import { MqttCollector } from './mqtt-collector.ts';
import { stopAllProcesses, type ManagedProcess } from './processes.ts';
import { startTestHub, type TestHub } from './hub-start.ts';

/**
 * A hub on loopback for a test that pairs a node of its own (the real steward-agent bin), with a watcher of every
 * node's Homie topics on admin MQTT credentials made through the API.
 */
export async function startPairingHub(homeFile: string): Promise<{ t: TestHub; watcher: MqttCollector }> {
  const t = await startTestHub({ homeFile });
  const watcher = await MqttCollector.connect(t.hub.mqttUrl, ['homie/5/#'], await t.mqttAdmin());
  return { t, watcher };
}

/** Stops what such a test started (its agent, every process it spawned, the watcher, the hub) and removes the agent's data folder. */
export async function stopPairingHub(parts: { agent?: ManagedProcess | undefined; watcher?: MqttCollector | undefined; t?: TestHub | undefined; agentDir: string }): Promise<void> {
  await parts.agent?.stop();
  await stopAllProcesses();
  await parts.watcher?.close();
  await parts.t?.stop();
  rmSync(parts.agentDir, { recursive: true, force: true });
}
