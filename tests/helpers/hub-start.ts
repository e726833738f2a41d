import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, type Hub, type HubConfigInput, type HubOptions } from '@steward/hub';
import { apiClient, type ApiClient } from './hub-http.ts';

export interface MqttLogin {
  username: string;
  password: string;
}

export interface TestHub {
  hub: Hub;
  /** the API with the hub's admin token (read from `<data-dir>/admin-token`, as scripts do) */
  api: ApiClient;
  /** the API without a token: what anyone on the machine gets */
  anon: ApiClient;
  token: string;
  dataDir: string;
  /**
   * MQTT credentials with the admin role for a test's own client (read every node's topics, act as a node), made
   * through POST /api/mqtt-credentials with the admin token: tests get no bypass. Client ids must not start
   * with `steward-` (reserved for agents and the hub).
   */
  mqttAdmin(): Promise<MqttLogin>;
  /**
   * Per-node credentials for simulated nodes the test runs itself (`steward-sim --credentials FILE`), provisioned
   * the way the hub provisions its demo: the file (0600) is in the data dir; returns its path.
   */
  provisionNodes(nodeIds: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** A temp data dir for a hub (kept across restarts of the same test). */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'steward-hub-test-'));
}

export function readAdminToken(dataDir: string): string {
  return readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
}

/**
 * Starts a real hub in-process on loopback with free ports and a temp SQLite file, security on as always (the
 * embedded broker refuses anonymous clients). With `demo`, the hub runs the home's nodes as real node-agent
 * processes with their provisioned credentials and resolves once every node is online. Flat fields and feature
 * slices (`conversation: { confirmTtlMs }`) both go through.
 */
/** `config`: flat settings, and feature slices under their keys (`{ conversation: { scheduleGraceMs: 1000 } }`) */
export async function startTestHub(config: Partial<HubConfigInput> & Record<string, unknown> = {}, options: HubOptions = {}): Promise<TestHub> {
  // a data dir made here goes when the hub stops; one passed in (restart tests) is the caller's
  const owned = config.dataDir === undefined;
  const dataDir = config.dataDir ?? tempDataDir();
  const cleanup = () => {
    if (owned) rmSync(dataDir, { recursive: true, force: true });
  };
  const hub = createHub({
    httpHost: '127.0.0.1',
    httpPort: 0,
    mqttHost: '127.0.0.1',
    mqttPort: 0,
    httpsPort: 0,
    mqttsPort: 0,
    logLevel: (process.env.STEWARD_TEST_LOG_LEVEL as HubConfigInput['logLevel']) ?? 'error',
    ...config,
    dataDir,
  }, options);
  try {
    await hub.start();
  } catch (e) {
    await hub.stop();
    cleanup();
    throw e;
  }
  const token = readAdminToken(dataDir);
  const api = apiClient(hub.httpUrl, { token });
  return {
    hub,
    api,
    anon: apiClient(hub.httpUrl),
    token,
    dataDir,
    async mqttAdmin() {
      const r = await api.post('/api/mqtt-credentials', { role: 'admin', username: `test-admin-${randomUUID().slice(0, 8)}` });
      if (r.status !== 200) throw new Error(`cannot make MQTT admin credentials: ${r.status} ${JSON.stringify(r.body)}`);
      return { username: r.body.username, password: r.body.password };
    },
    provisionNodes: (nodeIds) => hub.security.provisionDemo(nodeIds, join(dataDir, `test-node-credentials-${randomUUID().slice(0, 8)}.json`)),
    stop: async () => {
      await hub.stop();
      cleanup();
    },
  };
}
