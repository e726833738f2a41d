/**
 * The composition root: builds the hub's parts in dependency order and tears them down in reverse. One command's
 * path: api → conversation pipeline → understanding → gateway → rpc-client → MQTT → node agent → ack → registry.
 */
import { join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { StewardError, loadHome, type State } from '@steward/device-adapters';
import { parseHubConfig, type HubConfig, type HubConfigInput } from './config.ts';
import { startEmbeddedBroker } from './broker/embedded-broker.ts';
import { openDatabase, type Db } from './store/database.ts';
import { RegistryStore } from './store/registry-store.ts';
import { StateStore } from './store/state-store.ts';
import { Registry } from './registry/registry.ts';
import { MqttConnection } from './transport/mqtt-connection.ts';
import { HomieListener } from './transport/homie-listener.ts';
import { RpcClient } from './transport/rpc-client.ts';
import { MqttGateway } from './gateway/mqtt-gateway.ts';
import { buildApi, type Api } from './api/server.ts';
import { createUnderstanding } from './understanding/index.ts';
import { createConversationPipeline, type ConversationPipeline } from './conversation/pipeline.ts';
import { startSimulatedHome, type SimulatedHome } from './demo/simulated-home.ts';
import { createHubSecurity, type HubSecurity } from './pairing/hub-security.ts';
import { sensitiveCommandAudit } from './auth/sensitive-commands.ts';

/** where the demo's per-node MQTT credentials are written (mode 0600) for `steward-sim --credentials` */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

export interface HubOptions {
  /** defaults to pino at `config.logLevel` on stdout */
  logger?: Logger;
}

export interface ResetReport {
  /** nodes whose devices are back at their initial state */
  reset: string[];
  /** offline nodes, not reset */
  skipped: string[];
}

export interface Hub {
  readonly config: HubConfig;
  readonly logger: Logger;
  start(): Promise<void>;
  /** stops the simulated home, the API, MQTT, the broker and the database; safe to call twice */
  stop(): Promise<void>;
  readonly httpUrl: string;
  readonly mqttUrl: string;
  readonly registry: Registry;
  readonly gateway: MqttGateway;
  readonly pipeline: ConversationPipeline;
  readonly homie: HomieListener;
  /**
   * issue 5: admin token (`adminToken.created` once, on first start), MQTT credentials, the broker ACL, pairing,
   * revocation and the audit log. Always on: the embedded broker refuses clients without credentials.
   */
  readonly security: HubSecurity;
  /** the MQTT-over-TLS listener paired agents use (undefined with an external broker) */
  readonly mqttsUrl: string | undefined;
  /** the HTTPS pairing listener (undefined with an external broker) */
  readonly httpsUrl: string | undefined;
  /** the simulated home's processes while the demo runs */
  readonly demo: Pick<SimulatedHome, 'pid' | 'nodePids'> | undefined;
  /** simulator-only: RPC `reset` to every online node; the acknowledged states are recorded */
  resetDevices(): Promise<ResetReport>;
  /** every device's effective state (targets over reported values), by home device id and field name */
  snapshot(): Record<string, State>;
  /** resolves when these nodes (default: all in the registry) are online; TIMEOUT after `timeoutMs` */
  waitForNodes(nodeIds?: readonly string[], timeoutMs?: number): Promise<void>;
}

interface Running {
  db: Db;
  registry: Registry;
  conn: MqttConnection;
  homie: HomieListener;
  rpc: RpcClient;
  gateway: MqttGateway;
  pipeline: ConversationPipeline;
  api: Api;
  security: HubSecurity;
  httpUrl: string;
  mqttUrl: string;
  mqttsUrl: string | undefined;
  httpsUrl: string | undefined;
}

export function createHub(input: HubConfigInput, options: HubOptions = {}): Hub {
  const config = parseHubConfig(input);
  const logger = options.logger ?? pino({ level: config.logLevel });
  const dataDir = resolve(config.dataDir);
  const homeFile = config.homeFile === undefined ? undefined : resolve(config.homeFile);
  let running: Running | undefined;
  let sim: SimulatedHome | undefined;
  /** what to undo, last started first */
  const closers: { name: string; close: () => Promise<void> | void }[] = [];

  const started = (): Running => {
    if (!running) throw new StewardError('INTERNAL', 'the hub is not started');
    return running;
  };

  async function stop(): Promise<void> {
    running = undefined;
    sim = undefined;
    while (closers.length > 0) {
      const { name, close } = closers.pop()!;
      try {
        await close();
      } catch (err) {
        logger.warn({ err, part: name }, 'stop failed');
      }
    }
  }

  async function waitForNodes(nodeIds?: readonly string[], timeoutMs = config.nodesOnlineTimeoutMs): Promise<void> {
    const { registry } = started();
    const wanted = nodeIds ?? registry.nodes().map((n) => n.id);
    const missing = () => wanted.filter((id) => !registry.isOnline(id));
    if (missing().length === 0) return;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        off();
        if (err) reject(err);
        else resolve();
      };
      const off = registry.presenceChanged.on(() => {
        if (missing().length === 0) done();
      });
      const timer = setTimeout(
        () => done(new StewardError('TIMEOUT', `nodes not online after ${timeoutMs} ms: ${missing().join(', ')}`)),
        timeoutMs,
      );
    });
  }

  async function start(): Promise<void> {
    if (running) throw new StewardError('CONFLICT', 'the hub is already started');
    try {
      // the home file is read before anything listens: a bad file stops the hub with its problems listed
      const home = homeFile === undefined ? undefined : loadHome(homeFile);
      const db = openDatabase(dataDir);
      closers.push({ name: 'database', close: () => void db.close() });
      const registryStore = new RegistryStore(db);
      if (home) {
        const seeded = registryStore.seedFromHome(home);
        logger.info({ homeFile, ...seeded }, 'registry seeded from the home file');
      }
      const registry = new Registry(registryStore, new StateStore(db), logger);

      // security first: the broker cannot start without its hooks, nor the API without its token check
      const security = await createHubSecurity({
        dataDir,
        db,
        logger,
        devices: (id) => registry.device(id),
        onNodePaired: (node, devices) => registry.addPairedNode(node, devices),
        mdnsInterfaces: config.mdnsInterfaces,
        httpsPort: config.httpsPort,
        mqttsPort: config.mqttsPort,
        ...(config.pairing ? { pairing: config.pairing } : {}),
      });
      closers.push({ name: 'security', close: () => security.stop() });

      let mqttUrl = config.mqttUrl;
      let mqttsUrl: string | undefined;
      if (mqttUrl === undefined) {
        const broker = await startEmbeddedBroker({
          host: config.mqttHost,
          port: config.mqttPort,
          maxPacketBytes: config.maxPacketBytes,
          logger,
          hooks: security.brokerHooks,
        });
        closers.push({ name: 'broker', close: () => broker.close() });
        mqttUrl = broker.url;
        ({ mqttsUrl } = await security.attachBroker({ handle: broker.handle, aedes: broker.aedes }));
      } else {
        logger.warn({ mqttUrl }, 'external broker: its own authentication applies, not the hub ACL; pairing LAN agents needs the embedded broker');
      }

      // the hub's own credentials exist only on the embedded broker (an external one has its own users)
      const conn = await MqttConnection.open({ url: mqttUrl, logger, ...(config.mqttUrl === undefined ? security.hubMqttCredentials : {}) });
      closers.push({ name: 'mqtt', close: () => conn.close() });
      // commands are signed with each node's secret: nodes run confirm-listed changes only when the hub sent them
      const rpc = new RpcClient(conn, { timeoutMs: config.rpcTimeoutMs, isOnline: (id) => registry.isOnline(id), logger, rpcSecret: (id) => security.rpcSecrets.secretFor(id) });
      closers.push({ name: 'rpc', close: () => rpc.stop() });
      const offPresence = registry.presenceChanged.on(({ nodeId, online }) => {
        if (!online) rpc.failNode(nodeId);
      });
      closers.push({ name: 'presence', close: offPresence });
      await rpc.start();
      const homie = new HomieListener(conn, registry, logger);
      closers.push({ name: 'homie', close: () => homie.stop() });
      await homie.start();

      const gateway = new MqttGateway(registry, rpc, logger);
      const understanding = createUnderstanding(registry);
      const audit = sensitiveCommandAudit(security.audit, (err) => logger.error({ err }, 'audit entry for a sensitive command failed'));
      const pipeline = createConversationPipeline({
        understanding,
        gateway,
        view: registry,
        logger: logger.child({ component: 'conversation' }),
        confirmTtlMs: config.confirmTtlMs,
        onExecuted: audit.conversation,
      });
      closers.push({ name: 'pipeline', close: () => pipeline.close() });

      const api = buildApi({
        registry,
        gateway,
        pipeline,
        logger,
        bodyLimitBytes: config.httpBodyLimitBytes,
        mqttStats: () => ({ connected: conn.connected, ...homie.stats }),
        pairedNodes: () => security.credentials.pairedNodeIds(),
      });
      closers.push({ name: 'api', close: () => api.close() });
      // bearer auth before any route is loaded; then /api/pairing, /api/nodes/:id/revoke, /api/audit, /api/mqtt-credentials
      await security.registerAdminApi(api);
      const address = await api.listen({ host: config.httpHost, port: config.httpPort });
      const httpUrl = address.replace('://0.0.0.0:', '://127.0.0.1:');
      // HTTPS pairing and mDNS: only where the embedded broker can take the credentials pairing hands out
      const httpsUrl = config.mqttUrl === undefined ? (await security.startLan()).httpsUrl : undefined;

      running = { db, registry, conn, homie, rpc, gateway, pipeline, api, security, httpUrl, mqttUrl, mqttsUrl, httpsUrl };
      logger.info({ httpUrl, mqttUrl, mqttsUrl, httpsUrl, dataDir, hubId: security.hubId }, 'hub started');

      if (config.demo && homeFile) {
        // per-node credentials under the same ACL as paired nodes: fresh passwords and RPC secrets on every start,
        // file 0600; with an external broker (its own users apply) the RPC secrets alone
        const demoNodes = home?.nodes.map((n) => n.id) ?? [];
        const credentialsPath = join(dataDir, DEMO_CREDENTIALS_FILE);
        const credentialsFile =
          config.mqttUrl === undefined ? await security.provisionDemo(demoNodes, credentialsPath) : security.provisionDemoSecrets(demoNodes, credentialsPath);
        const s = startSimulatedHome({ homeFile, mqttUrl, timeScale: config.timeScale, logger, credentialsFile });
        sim = s;
        closers.push({ name: 'simulated home', close: () => s.stop() });
        const exitedEarly = s.exited.then(() => {
          throw new StewardError('INTERNAL', `the simulated home exited while starting:\n${s.stderrTail()}`);
        });
        await Promise.race([waitForNodes(home?.nodes.map((n) => n.id)), exitedEarly]);
        logger.info({ pid: s.pid, nodes: home?.nodes.length }, 'simulated home online');
      }
    } catch (e) {
      await stop();
      throw e;
    }
  }

  async function resetDevices(): Promise<ResetReport> {
    const { registry, rpc } = started();
    const online = registry.nodes().filter((n) => n.online);
    const skipped = registry.nodes().filter((n) => !n.online).map((n) => n.id);
    const results = await Promise.allSettled(
      online.map(async (n) => {
        const r = await rpc.call(n.id, 'reset', {}, `node ${n.id}`);
        for (const [deviceId, s] of Object.entries(r.devices)) {
          if (registry.device(deviceId)) registry.applyAcknowledged(deviceId, s);
        }
        return n.id;
      }),
    );
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${online[i]!.id}: ${(r.reason as Error).message}`] : []));
    if (failed.length > 0) throw new StewardError('DRIVER_ERROR', `reset failed on ${failed.join('; ')}`);
    if (skipped.length > 0) logger.warn({ skipped }, 'offline nodes were not reset');
    return { reset: online.map((n) => n.id), skipped };
  }

  function snapshot(): Record<string, State> {
    const { registry } = started();
    return Object.fromEntries(registry.devices().map((d) => [d.id, registry.state(d.id) ?? {}]));
  }

  return {
    config,
    logger,
    start,
    stop,
    waitForNodes,
    resetDevices,
    snapshot,
    get httpUrl() {
      return started().httpUrl;
    },
    get mqttUrl() {
      return started().mqttUrl;
    },
    get registry() {
      return started().registry;
    },
    get gateway() {
      return started().gateway;
    },
    get pipeline() {
      return started().pipeline;
    },
    get homie() {
      return started().homie;
    },
    get security() {
      return started().security;
    },
    get mqttsUrl() {
      return started().mqttsUrl;
    },
    get httpsUrl() {
      return started().httpsUrl;
    },
    get demo() {
      return sim && { pid: sim.pid, nodePids: sim.nodePids };
    },
  };
}
