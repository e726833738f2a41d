/**
 * `steward-hub` (the installed command) as a real process on a data folder, with its demo's node-agent processes
 * for a home file, for tests that stop, kill and start the hub again on the same folder. Resolves once the demo's
 * nodes are online, with an API client on the admin token and the nodes' reports read over MQTT.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Home } from '@steward/device-adapters';
import { apiClient, type ApiClient } from './hub-http.ts';
import { NodeReports } from './hub-nodes.ts';
import { freePort } from './ports.ts';
import { startProcess, type ManagedProcess } from './processes.ts';

const HUB_BIN = resolve(import.meta.dirname, '..', '..', 'hub', 'bin', 'steward-hub.mjs');

export interface HubProcess {
  proc: ManagedProcess;
  api: ApiClient;
  url: string;
  token: string;
  nodes: NodeReports;
}

export interface HubProcessOptions {
  home: Home;
  homeFile: string;
  dataDir: string;
  confirmTtlMs: number;
  /** the process's environment (default: this one's) */
  env?: NodeJS.ProcessEnv;
}

export async function startHubProcess(o: HubProcessOptions): Promise<HubProcess> {
  const [httpPort, mqttPort] = [await freePort(), await freePort()];
  const proc = startProcess(
    process.execPath,
    [
      HUB_BIN,
      ...['--home', o.homeFile, '--data-dir', o.dataDir, '--http-port', String(httpPort), '--mqtt-port', String(mqttPort)],
      ...['--https-port', '0', '--mqtts-port', '0', '--log-level', 'warn', '--confirm-ttl-ms', String(o.confirmTtlMs)],
    ],
    o.env ? { env: o.env } : {},
  );
  await proc.waitForLine(new RegExp(`^Demo: ${o.home.nodes.length}/${o.home.nodes.length} nodes online\\.$`), 90_000, 'stdout');
  const url = `http://127.0.0.1:${httpPort}`;
  const token = readFileSync(join(o.dataDir, 'admin-token'), 'utf8').trim();
  const api = apiClient(url, { token });
  const login = await api.post('/api/mqtt-credentials', { role: 'admin', username: `test-admin-${httpPort}` });
  expect(login.status).toBe(200);
  const nodes = await NodeReports.connect(`mqtt://127.0.0.1:${mqttPort}`, o.home, { username: login.body.username, password: login.body.password });
  return { proc, api, url, token, nodes };
}
