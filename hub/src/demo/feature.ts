import { join } from 'node:path';
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import { defineFeature } from '../core/feature.ts';

import { waitForNodes } from '../registry/feature.ts';
import { startSimulatedHome, type SimulatedHome } from './simulated-home.ts';

/** where the demo's per-node MQTT credentials and RPC secrets are written (mode 0600) for `steward-sim --credentials` */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';
/** where the demo's simulated devices keep their state, one file per node (`steward-sim --state-dir`) */
export const DEMO_STATE_DIR = 'demo-state';

declare module '../core/feature.ts' {
  interface HubFeatures {
    /** the simulated home's processes once it runs (undefined when the demo is off) */
    demo: {
      current(): Pick<SimulatedHome, 'pid' | 'nodePids'> | undefined;
      /** resolves when every node of the demo is online (at once without a demo); rejects if the simulator exits first */
      online(): Promise<void>;
    };
  }
}

export const DemoConfigSchema = z
  .object({
    /** run the home file's nodes as simulated node-agent processes */
    enabled: z.boolean().default(false),
    /** simulated time runs this many times faster */
    timeScale: z.number().positive().max(10_000).default(1),
    /** how long the demo may take to bring every node online */
    nodesOnlineTimeoutMs: z.number().int().positive().default(30_000),
    /**
     * the hub's start waits until every node is online (tests, benchmarks); the CLI sets false, prints its banner at
     * once and waits on `online()` after it
     */
    awaitOnline: z.boolean().default(true),
  })
  .strict();

/**
 * The home file's nodes as simulated node-agent processes (`steward-sim home`), each with its own credentials
 * under the same ACL as paired nodes and its own RPC secret (fresh on every start), supervised (a dead agent, or the
 * simulator, is started again with backoff), resuming from the states saved in `<data-dir>/demo-state`. Started
 * once every other feature runs; the hub's start resolves when every node is online (with `awaitOnline: false`, at
 * once; `online()` tells when).
 */
export const demoFeature = () => {
  let sim: SimulatedHome | undefined;
  let online: Promise<void> = Promise.resolve();
  let stopped = false;
  let settings: z.infer<typeof DemoConfigSchema> | undefined;
  return defineFeature({
    name: 'demo',
    needs: ['store', 'registry', 'broker', 'security'],
    config: {
      key: 'demo',
      schema: DemoConfigSchema,
      options: [
        { flag: 'no-demo', field: 'enabled', kind: 'boolean', negate: true, cliDefault: true, help: "do not run the home's nodes as simulated node-agent processes" },
        { flag: 'time-scale', field: 'timeScale', kind: 'number', value: 'N', help: 'simulated time runs N times faster (demo only; default 1)' },
      ],
    },
    start(ctx, config) {
      if (config.enabled && !ctx.get('store').homeFile) throw new StewardError('BAD_REQUEST', 'invalid hub configuration: homeFile: the demo needs a home file');
      settings = config;
      return { current: () => sim && { pid: sim.pid, nodePids: sim.nodePids }, online: () => online };
    },
    async ready(ctx) {
      const { home, homeFile } = ctx.get('store');
      if (!settings?.enabled || !home || !homeFile) return;
      const { timeScale, nodesOnlineTimeoutMs } = settings;
      stopped = false;
      const broker = ctx.get('broker');
      const nodeIds = home.nodes.map((n) => n.id);
      // fresh passwords and RPC secrets on every start (file 0600); with an external broker (its own users apply) the
      // RPC secrets alone, so its nodes still run confirm-listed changes only on commands the hub signed. Then the
      // simulator and every node online: awaited here, or left to online()
      const security = ctx.get('security');
      const file = join(ctx.dataDir, DEMO_CREDENTIALS_FILE);
      const bringUp = async () => {
        const credentialsFile = broker.embedded ? await security.provisionDemo(nodeIds, file) : security.provisionDemoSecrets(nodeIds, file);
        if (stopped) return; // the hub stopped while the credentials were made: start nothing
        const s = startSimulatedHome({
          homeFile,
          mqttUrl: broker.url,
          timeScale,
          logger: ctx.logger,
          credentialsFile,
          // each node's device states, so a restarted demo resumes where it was
          stateDir: join(ctx.dataDir, DEMO_STATE_DIR),
        });
        sim = s;
        const exitedEarly = s.exited.then(() => {
          throw new StewardError('INTERNAL', `the simulated home exited while starting:\n${s.stderrTail()}`);
        });
        await Promise.race([waitForNodes(ctx.get('registry'), ctx.clock, nodeIds, nodesOnlineTimeoutMs), exitedEarly]);
        ctx.logger.info({ pid: s.pid, nodes: nodeIds.length }, 'simulated home online');
      };
      online = bringUp();
      if (settings.awaitOnline) await online;
      else online.catch(() => undefined); // the caller awaits online() and reports its failure
    },
    async stop() {
      stopped = true;
      await sim?.stop();
      sim = undefined;
    },
  });
};
