import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { StewardError, type DeviceType } from '@steward/device-adapters';
import { NodeAgent } from '../agent.ts';
import { parseAgentConfig, type AgentConfig } from '../config.ts';
import { SIMULATED_DRIVER_MODULE } from './simulate.ts';
import { readAgentCredentials, readNodeFile, type AgentCredentials, type NodeFile } from './credentials-file.ts';

export interface PairedAgent {
  nodeId: string;
  agent: NodeAgent;
  config: AgentConfig;
  stop(): Promise<void>;
}

/** the hub's MQTT-over-TLS listener, as pairing reported it */
export function pairedMqttUrl(creds: AgentCredentials): string {
  const host = creds.hub.host.includes(':') ? `[${creds.hub.host}]` : creds.hub.host;
  return `mqtts://${host}:${creds.hub.mqttsPort}`;
}

/**
 * The agent config a paired data dir describes: node id and credentials from pairing, devices from node.json, and
 * MQTT over TLS pinned to the certificate of the hub it paired with.
 */
export function pairedAgentConfig(dataDir: string, opts: { simulate?: DeviceType; timeScale?: number; mqttUrl?: string } = {}): AgentConfig {
  const creds = readAgentCredentials(dataDir);
  const node = readNodeFile(dataDir);
  const devices: NodeFile['devices'] = [...(node?.devices ?? [])];
  // the hub learns a node's devices when it pairs: a device added only now would be one it cannot command
  if (opts.simulate && !devices.some((d) => d.descriptor.type === opts.simulate)) {
    throw new StewardError(
      'BAD_REQUEST',
      `this agent declared no simulated ${opts.simulate} when it paired, so the hub does not know one: pair again with --simulate ${opts.simulate} (declared: ${devices.map((d) => d.descriptor.type).join(', ') || 'nothing'})`,
    );
  }
  return parseAgentConfig(
    {
      mqtt: {
        url: opts.mqttUrl ?? pairedMqttUrl(creds),
        username: creds.mqtt.username,
        password: creds.mqtt.password,
        tls: { ca: creds.hub.certPem, fingerprint: creds.hub.fingerprint },
      },
      node: { id: creds.nodeId, name: node?.name ?? creds.nodeId, kind: node?.kind ?? 'gateway' },
      // devices found after pairing: adopted ones are kept in the data folder
      dataDir: resolve(dataDir),
      discovery: node?.discovery ?? [],
      ...(creds.rpcSecret ? { rpcSecret: creds.rpcSecret } : {}),
      // --time-scale speeds up the simulated devices' time (as at pairing)
      devices: devices.map(({ descriptor, state, driver }) => ({
        descriptor,
        state,
        driver: opts.timeScale && driver.module === SIMULATED_DRIVER_MODULE ? { ...driver, options: { ...driver.options, timeScale: opts.timeScale } } : driver,
      })),
    },
    `paired agent in ${dataDir}`,
  );
}

/**
 * `steward-agent start --data-dir D [--simulate TYPE]`: runs the node agent with the paired credentials, over MQTT
 * in TLS pinned to the hub it paired with, hosting the devices declared when pairing (node.json; `--simulate TYPE`
 * checks one of them is a simulated TYPE). Resolves once the node is ready (Homie `$state` ready).
 */
export async function startPairedAgent(opts: { dataDir: string; simulate?: DeviceType; timeScale?: number; logger: Logger }): Promise<PairedAgent> {
  const config = pairedAgentConfig(opts.dataDir, opts);
  const agent = new NodeAgent(config, { logger: opts.logger });
  try {
    await agent.start();
  } catch (e) {
    await agent.stop().catch(() => undefined);
    throw e;
  }
  return { nodeId: config.node.id, agent, config, stop: () => agent.stop() };
}
