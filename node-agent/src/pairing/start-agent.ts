import type { Logger } from 'pino';
import type { DeviceType } from '@steward/device-adapters';
import { NodeAgent } from '../agent.ts';
import { parseAgentConfig, type AgentConfig } from '../config.ts';
import { readAgentCredentials, readNodeFile, type NodeFile } from './credentials-file.ts';
import { startPinnedTunnel, type PinnedTunnel } from './mqtt-tunnel.ts';
import { simulatedDevice } from './simulate.ts';

export interface PairedAgent {
  nodeId: string;
  agent: NodeAgent;
  config: AgentConfig;
  stop(): Promise<void>;
}

/** The agent config a paired data dir describes: node id and credentials from pairing, devices from node.json. */
export function pairedAgentConfig(dataDir: string, mqttUrl: string, opts: { simulate?: DeviceType; timeScale?: number } = {}): AgentConfig {
  const creds = readAgentCredentials(dataDir);
  const node = readNodeFile(dataDir);
  const devices: NodeFile['devices'] = [...(node?.devices ?? [])];
  if (opts.simulate && !devices.some((d) => d.descriptor.type === opts.simulate)) {
    devices.push(simulatedDevice(opts.simulate, creds.nodeId, opts.timeScale ? { timeScale: opts.timeScale } : {}));
  }
  return parseAgentConfig(
    {
      mqtt: { url: mqttUrl, username: creds.mqtt.username, password: creds.mqtt.password },
      node: { id: creds.nodeId, name: node?.name ?? creds.nodeId, kind: node?.kind ?? 'gateway' },
      devices: devices.map(({ descriptor, state, driver }) => ({ descriptor, state, driver })),
    },
    `paired agent in ${dataDir}`,
  );
}

/**
 * `steward-agent start --data-dir D [--simulate TYPE]`: runs the node agent with the paired credentials, over MQTT
 * in TLS pinned to the hub it paired with. Resolves once the node is ready (Homie `$state` ready).
 */
export async function startPairedAgent(opts: { dataDir: string; simulate?: DeviceType; timeScale?: number; logger: Logger }): Promise<PairedAgent> {
  const creds = readAgentCredentials(opts.dataDir);
  const tunnel: PinnedTunnel = await startPinnedTunnel({
    host: creds.hub.host,
    port: creds.hub.mqttsPort,
    certPem: creds.hub.certPem,
    fingerprint: creds.hub.fingerprint,
    logger: opts.logger,
  });
  try {
    const config = pairedAgentConfig(opts.dataDir, tunnel.url, opts);
    const agent = new NodeAgent(config, { logger: opts.logger });
    await agent.start();
    return {
      nodeId: config.node.id,
      agent,
      config,
      stop: async () => {
        await agent.stop();
        await tunnel.close();
      },
    };
  } catch (e) {
    await tunnel.close();
    throw e;
  }
}
