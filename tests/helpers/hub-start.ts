import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, type Hub, type HubConfigInput } from '@steward/hub';
import { apiClient, type ApiClient } from './hub-http.ts';

export interface TestHub {
  hub: Hub;
  api: ApiClient;
  dataDir: string;
  stop(): Promise<void>;
}

/** A temp data dir for a hub (kept across restarts of the same test). */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'steward-hub-test-'));
}

/**
 * Starts a real hub in-process on loopback with free ports and a temp SQLite file. With `demo`, the hub runs the
 * home's nodes as real node-agent processes and resolves once every node is online.
 */
export async function startTestHub(config: Partial<HubConfigInput> = {}): Promise<TestHub> {
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
    logLevel: (process.env.STEWARD_TEST_LOG_LEVEL as HubConfigInput['logLevel']) ?? 'error',
    ...config,
    dataDir,
  });
  try {
    await hub.start();
  } catch (e) {
    await hub.stop();
    cleanup();
    throw e;
  }
  return {
    hub,
    api: apiClient(hub.httpUrl),
    dataDir,
    stop: async () => {
      await hub.stop();
      cleanup();
    },
  };
}
