/**
 * The composition root: the hub is a list of features (hub/src/<folder>/feature.ts), started in dependency order
 * and stopped in reverse (core/lifecycle.ts). One command's path: api → conversation → understanding → gateway →
 * transport (RPC over MQTT) → node agent → ack → registry. docs/architecture.md has the recipe for a new feature.
 */
import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { StewardError, type State } from '@steward/device-adapters';
import type { DirectGateway } from './core/actions.ts';
import { systemClock, type Clock } from './core/clock.ts';
import type { FeatureName, HubFeatures } from './core/feature.ts';
import { startFeatures, type AnyFeature, type RunningFeatures } from './core/lifecycle.ts';
import { configure, type HubConfig, type HubConfigInput } from './config.ts';
import { adoptionFeature } from './adoption/feature.ts';
import { apiFeature } from './api/feature.ts';
import { securityFeature } from './auth/feature.ts';
import type { Security } from './auth/security.ts';
import { brokerFeature } from './broker/feature.ts';
import { conversationFeature } from './conversation/feature.ts';
import type { ConversationPipeline } from './conversation/pipeline.ts';
import { demoFeature } from './demo/feature.ts';
import type { SimulatedHome } from './demo/simulated-home.ts';
import { gatewayFeature } from './gateway/feature.ts';
import { mdnsFeature } from './mdns/feature.ts';
import { pairingFeature } from './pairing/feature.ts';
import { reconcileFeature } from './reconcile/feature.ts';
import type { PairingService } from './pairing/service.ts';
import { registryFeature, waitForNodes } from './registry/feature.ts';
import type { Registry } from './registry/registry.ts';
import { storeFeature } from './store/feature.ts';
import { resetDevices, type ResetReport } from './transport/reset.ts';
import { transportFeature } from './transport/feature.ts';
import type { HomieListener } from './transport/homie-listener.ts';
import { understandingFeature } from './understanding/feature.ts';
import { plannerFeature } from './planner/feature.ts';
import { trajectoriesFeature } from './trajectories/feature.ts';
import { voiceFeature } from './voice/feature.ts';
import { eventsFeature } from './events/feature.ts';
import { historyFeature } from './history/feature.ts';
import { dashboardFeature } from './dashboard/feature.ts';

export { DEMO_CREDENTIALS_FILE } from './demo/feature.ts';
export type { ResetReport };

/** Every feature of the full hub, in the order they start when nothing else decides. Add a new one here. */
export const defaultFeatures = (): AnyFeature[] => [
  storeFeature(),
  registryFeature(),
  // before the transport: it reads what SQLite held before the first Homie message arrives
  reconcileFeature(),
  securityFeature(),
  brokerFeature(),
  transportFeature(),
  gatewayFeature(),
  adoptionFeature(),
  understandingFeature(),
  conversationFeature(),
  plannerFeature(),
  trajectoriesFeature(),
  voiceFeature(),
  pairingFeature(),
  mdnsFeature(),
  apiFeature(),
  eventsFeature(),
  historyFeature(),
  dashboardFeature(),
  demoFeature(),
];

export interface HubOptions {
  /** defaults to pino at `config.logLevel` on stdout */
  logger?: Logger;
  /** the features to run (default: `defaultFeatures()`); a test may run a subset */
  features?: AnyFeature[];
  /** the hub's one clock: schedules, confirmations, the pairing window, RPC timeouts (default: real time) */
  clock?: Clock;
}

/** security as the hub shows it: the security feature, and the pairing service when the hub has pairing */
export type HubSecurity = Security & { readonly pairing: PairingService };

export interface Hub {
  readonly config: HubConfig;
  readonly logger: Logger;
  start(): Promise<void>;
  /** stops every feature, last started first; safe to call twice */
  stop(): Promise<void>;
  /** what a running feature provides (throws INTERNAL when this hub does not run it) */
  feature<N extends FeatureName>(name: N): HubFeatures[N];
  /** names of the running features in start order */
  readonly features: readonly string[];
  readonly httpUrl: string;
  readonly mqttUrl: string;
  readonly registry: Registry;
  readonly gateway: DirectGateway;
  readonly pipeline: ConversationPipeline;
  readonly homie: HomieListener;
  /** admin token, MQTT credentials, the broker ACL, revocation, the audit log, and pairing */
  readonly security: HubSecurity;
  /** the MQTT-over-TLS listener paired agents use (undefined with an external broker) */
  readonly mqttsUrl: string | undefined;
  /** the HTTPS pairing listener (undefined with an external broker or without pairing) */
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

export function createHub(input: HubConfigInput & Record<string, unknown>, options: HubOptions = {}): Hub {
  const features = options.features ?? defaultFeatures();
  const { flat: config, slices } = configure(features, input);
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  let running: RunningFeatures | undefined;
  const get = <N extends FeatureName>(name: N): HubFeatures[N] => {
    if (!running) throw new StewardError('INTERNAL', 'the hub is not started');
    return running.context.get(name);
  };

  async function start(): Promise<void> {
    if (running) throw new StewardError('CONFLICT', 'the hub is already started');
    running = await startFeatures(features, { logger, clock, dataDir: resolve(config.dataDir), slices });
    const { context } = running;
    logger.info({ features: running.order, httpUrl: context.find('api')?.url(), mqttUrl: context.find('broker')?.url }, 'hub started');
  }

  return {
    config,
    logger,
    start,
    async stop() {
      const r = running;
      running = undefined;
      await r?.stop();
    },
    feature: get,
    get features() {
      return running?.order ?? [];
    },
    waitForNodes: (nodeIds, timeoutMs = config.nodesOnlineTimeoutMs) => waitForNodes(get('registry'), clock, nodeIds, timeoutMs),
    resetDevices: () => resetDevices(get('registry'), get('transport').rpc, logger),
    snapshot: () => Object.fromEntries(get('registry').devices().map((d) => [d.id, get('registry').state(d.id) ?? {}])),
    get httpUrl() {
      return get('api').url();
    },
    get mqttUrl() {
      return get('broker').url;
    },
    get registry() {
      return get('registry');
    },
    get gateway() {
      return get('gateway');
    },
    get pipeline() {
      return get('conversation').pipeline;
    },
    get homie() {
      return get('transport').homie;
    },
    get security(): HubSecurity {
      return Object.defineProperty({ ...get('security') }, 'pairing', { get: () => get('pairing').service, enumerable: true }) as HubSecurity;
    },
    get mqttsUrl() {
      return get('broker').mqttsUrl;
    },
    get httpsUrl() {
      return running?.context.find('pairing')?.httpsUrl;
    },
    get demo() {
      return running?.context.find('demo')?.current();
    },
  };
}
