import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { parseTopic, parseVoiceTopic, topics, voiceTopics, type DeviceDriver } from '@steward/device-adapters';
import type { AgentConfig } from './config.ts';
import { loadDiscoveries, loadDrivers } from './driver-loader.ts';
import { AdoptedStore } from './adopted-store.ts';
import { DiscoveryHost } from './discovery-host.ts';
import { HomiePublisher } from './homie-publisher.ts';
import { createLogger, type Logger } from './logger.ts';
import { NodeDevices } from './node-devices.ts';
import { RpcServer } from './rpc-server.ts';
import { ConfirmGuard } from './confirm-guard.ts';
import { handleSet } from './set-handler.ts';
import { Backoff } from './backoff.ts';
import { AgentRejections } from './rejections.ts';
import { VoiceClient } from './voice/voice-client.ts';
import { pinnedTlsOptions } from './pairing/pinned-https.ts';

export interface NodeAgentOptions {
  logger?: Logger;
  /** where relative driver modules are found (the config file's folder) */
  baseDir?: string;
  /** drivers made by the caller instead of loading the config's driver modules */
  drivers?: DeviceDriver[];
}

/**
 * A node agent: one MQTT connection (one Homie device, because MQTT allows one last will per connection), the
 * node's device drivers, the RPC server and the `/set` handler. It needs no hub, only a broker.
 */
export class NodeAgent {
  readonly nodeId: string;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private devices?: NodeDevices;
  private publisher?: HomiePublisher;
  private rpc?: RpcServer;
  private guard?: ConfirmGuard;
  private client?: MqttClient;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** connected: state changes go out as they happen */
  private connected = false;
  /** connected and announced: `$state` is ready */
  private online = false;
  private firstReady?: { resolve: () => void; reject: (e: Error) => void };
  private readonly unsubscribers: (() => void)[] = [];
  /** devices found after pairing (config `discovery`), when the node has discovery modules */
  private discovery?: DiscoveryHost;
  /** each hosted device's update subscription */
  private readonly updates = new Map<string, () => void>();
  private reportTimer: NodeJS.Timeout | undefined;
  /** utterances from the node's microphones to the hub, spoken replies to its audio outputs */
  private voice?: VoiceClient;
  /** refused RPC requests and /set messages: counted by kind, logged once per topic and window */
  readonly rejections: AgentRejections;

  constructor(
    private readonly config: AgentConfig,
    private readonly options: NodeAgentOptions = {},
  ) {
    this.nodeId = config.node.id;
    this.log = options.logger ?? createLogger({ nodeId: this.nodeId });
    this.rejections = new AgentRejections(this.log);
    this.backoff = new Backoff(config.mqtt.reconnect.minMs, config.mqtt.reconnect.maxMs);
  }

  /** the devices it hosts now: configured, and adopted ones (devices found after pairing) */
  get deviceCount(): number {
    return this.devices?.all().length ?? 0;
  }

  /** true while connected and announced (`$state` = ready) */
  get ready(): boolean {
    return this.online;
  }

  /** Loads the drivers, connects and resolves once the node is `ready` the first time (it keeps retrying until then). */
  async start(): Promise<void> {
    if (this.client) throw new Error('agent already started');
    const baseDir = this.options.baseDir ?? process.cwd();
    const configured = this.options.drivers ?? (await loadDrivers(this.config.devices, baseDir));
    const drivers = [...configured, ...(await this.startDiscovery(baseDir))];
    const { node } = this.config;
    this.devices = new NodeDevices(node.id, drivers);
    this.publisher = new HomiePublisher(node.id, node.name, `steward:${node.kind}`, drivers, (t, p) => this.publishRetained(t, p));
    const rules = new Map(this.config.devices.map((d) => [d.descriptor.id, d.confirm]));
    this.guard = new ConfirmGuard(drivers, { nodeId: node.id, rules, secret: this.config.rpcSecret });
    this.rpc = new RpcServer({ nodeId: node.id, name: node.name, kind: node.kind }, this.devices, (t, p) => this.publishReply(t, p), this.log, this.guard, this.discovery, this.rejections);
    for (const d of drivers) this.updates.set(d.descriptor.id, d.onUpdate((u) => this.onDriverUpdate(d, u)));
    this.voice = new VoiceClient(node.id, this.devices, (t, p) => this.publishReply(t, p), this.log.child({ component: 'voice' }), this.config.voice.vad);
    for (const d of drivers) {
      const off = this.voice.attach(d);
      if (off) this.unsubscribers.push(off);
    }

    const promise = new Promise<void>((resolve, reject) => (this.firstReady = { resolve, reject }));
    this.client = connect(this.config.mqtt.url, this.clientOptions());
    this.client.on('connect', () => {
      this.connected = true;
      // Replies are small and latency-bound: Nagle's algorithm would hold each one for ~40 ms.
      (this.client?.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
      void this.announce();
    });
    this.client.on('close', () => this.onClose());
    this.client.on('error', (e) => this.log.warn({ err: e.message }, 'mqtt error'));
    this.client.on('message', (topic, payload, packet) => void this.route(topic, payload, packet.retain));
    await promise;
  }

  /** Homie: publish `disconnected` before a clean disconnect; the last will is not sent then. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    this.firstReady?.reject(new Error(`agent ${this.nodeId} stopped before it was ready`));
    clearTimeout(this.reportTimer);
    for (const u of this.unsubscribers.splice(0)) u();
    this.voice?.close();
    for (const u of this.updates.values()) u();
    this.updates.clear();
    const client = this.client;
    // the connection is about to close on purpose: not "lost"
    this.online = false;
    if (client?.connected) {
      try {
        await this.publisher?.setState('disconnected');
      } catch (e) {
        this.log.warn({ err: (e as Error).message }, 'could not publish disconnected');
      }
      await client.endAsync();
    } else if (client) await client.endAsync(true);
    this.connected = false;
    await this.devices?.closeAll();
    await this.discovery?.close();
    this.rejections.flush();
    const rejections = this.rejections.counts();
    // the totals at the demo agents' level (warn) too, when there were any
    if (Object.values(rejections).some((n) => n > 0)) this.log.warn({ rejections }, 'rejected since start');
    this.log.info({ rejections }, 'agent stopped');
  }

  private clientOptions(): IClientOptions {
    const { mqtt } = this.config;
    return {
      protocolVersion: 4, // MQTT 3.1.1: aedes has no MQTT 5
      clientId: mqtt.clientId ?? `steward-agent-${this.nodeId}`,
      ...(mqtt.username !== undefined ? { username: mqtt.username } : {}),
      ...(mqtt.password !== undefined ? { password: mqtt.password } : {}),
      ...(mqtt.tls ? pinnedTlsOptions(mqtt.tls.ca, mqtt.tls.fingerprint) : {}),
      clean: true,
      keepalive: mqtt.keepaliveS,
      connectTimeout: 10_000,
      reconnectPeriod: 0, // reconnects are ours, with a growing delay (see onClose)
      // mqtt-packet would otherwise pre-build a 2-byte Buffer for each of the 65536 packet ids and lengths: about
      // 6 MB of heap in a process meant for a TV or a car head unit, for a few packets a second
      writeCache: false,
      will: { topic: topics.state(this.nodeId), payload: Buffer.from('lost'), qos: 1, retain: true },
    };
  }

  /** Homie lifecycle on every (re)connect: init, description and values, subscriptions, ready. */
  private async announce(): Promise<void> {
    const client = this.client!;
    this.backoff.reset();
    try {
      await this.publisher!.setState('init');
      await this.publisher!.announce();
      if (this.discovery) await this.publishReport();
      const voice = this.voice?.hasMicrophone ? [voiceTopics.reply(this.nodeId)] : [];
      const grants = await client.subscribeAsync([...topics.agentSubscriptions(this.nodeId), ...voice], { qos: 1 });
      for (const g of grants) if (g.qos === 128) this.log.error({ topic: g.topic }, 'the broker refused a subscription');
      await this.publisher!.setState('ready');
      this.online = true;
      this.log.info({ url: this.config.mqtt.url, devices: this.devices!.all().length }, 'ready');
      this.firstReady?.resolve();
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'announcing failed; will retry on the next connection');
    }
  }

  private onClose(): void {
    if (this.online) this.log.warn('connection lost');
    this.online = false;
    this.connected = false;
    if (this.stopping || this.reconnectTimer) return;
    const delay = this.backoff.next();
    this.log.info({ delayMs: delay }, 'reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopping) this.client?.reconnect();
    }, delay);
  }

  private onDriverUpdate(driver: DeviceDriver, update: Parameters<HomiePublisher['changed']>[1]): void {
    // offline changes are not queued: the full state is announced again on reconnect, and a queued older value
    // delivered after it would overwrite a newer retained one
    if (!this.connected) return;
    this.publisher!.changed(driver, update).catch((e: Error) => this.log.warn({ deviceId: driver.descriptor.id, err: e.message }, 'publishing state failed'));
  }

  private async route(topic: string, payload: Buffer, retained: boolean): Promise<void> {
    try {
      const t = parseTopic(topic);
      if (t.kind === 'rpcRequest' && t.nodeId === this.nodeId) await this.rpc!.handle(t.method, payload);
      else if (t.kind === 'set' && t.nodeId === this.nodeId) await handleSet(this.devices!, t, payload, retained, this.log, this.guard, this.rejections);
      else if (parseVoiceTopic(topic)?.nodeId === this.nodeId && parseVoiceTopic(topic)?.end === 'res') await this.voice?.onReply(payload);
      else this.log.debug({ topic }, 'ignored message on an unexpected topic');
    } catch (e) {
      // nothing a message does may take the agent down
      this.log.error({ topic, err: (e as Error).message }, 'failed to handle a message');
    }
  }

  /** Loads and starts the discovery modules (config `discovery`); returns the drivers of the devices adopted before. */
  private async startDiscovery(baseDir: string): Promise<DeviceDriver[]> {
    if (this.config.discovery.length === 0) return [];
    const dataDir = this.config.dataDir!;
    const log = this.log.child({ component: 'discovery' });
    const discoveries = await loadDiscoveries(this.config.discovery, baseDir, { dataDir, log });
    const configuredIds = new Set(this.config.devices.map((d) => d.descriptor.id));
    this.discovery = new DiscoveryHost(
      discoveries,
      new AdoptedStore(dataDir),
      {
        hasDevice: (id) => configuredIds.has(id) || this.devices?.find(id) !== undefined,
        add: (driver) => this.addDevice(driver),
        remove: (id) => this.removeDevice(id),
        reportChanged: () => this.scheduleReport(),
      },
      log,
      // loadDiscoveries made one per configured module, in order
      new Map(discoveries.map((d, i) => [d, this.config.discovery[i]!.module])),
    );
    try {
      return await this.discovery.start();
    } catch (e) {
      await this.discovery.close();
      throw e;
    }
  }

  /** an adopted device joins the node: its confirm defaults, its updates, a new `$description` and its values */
  private async addDevice(driver: DeviceDriver): Promise<void> {
    const id = driver.descriptor.id;
    this.devices!.add(driver);
    this.guard!.addDevice(driver.descriptor);
    this.updates.set(id, driver.onUpdate((u) => this.onDriverUpdate(driver, u)));
    try {
      await this.publisher!.devicesChanged(this.devices!.all(), { added: driver }, this.connected);
    } catch (e) {
      if ((e as { code?: string }).code !== 'PAYLOAD_TOO_LARGE') {
        // published in part (the connection dropped): the next announcement repeats everything
        this.log.warn({ deviceId: id, err: (e as Error).message }, 'publishing the new device failed');
        return;
      }
      this.updates.get(id)?.();
      this.updates.delete(id);
      this.guard!.removeDevice(id);
      await this.devices!.remove(id);
      throw e;
    }
  }

  /** an adopted device leaves the node: closed, its retained topics cleared, a new `$description` */
  private async removeDevice(id: string): Promise<void> {
    this.updates.get(id)?.();
    this.updates.delete(id);
    const driver = await this.devices!.remove(id);
    if (!driver) return;
    this.guard!.removeDevice(id);
    try {
      await this.publisher!.devicesChanged(this.devices!.all(), { removed: driver }, this.connected);
    } catch (e) {
      this.log.warn({ deviceId: id, err: (e as Error).message }, 'publishing the removal failed');
    }
    await driver.close().catch((e: Error) => this.log.warn({ deviceId: id, err: e.message }, 'closing a removed device failed'));
  }

  /** the discovery report changed: published once things settle (several changes often come together) */
  private scheduleReport(): void {
    if (this.reportTimer || this.stopping) return;
    this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      if (this.connected) this.publishReport().catch((e: Error) => this.log.warn({ err: e.message }, 'publishing the discovery report failed'));
    }, 20);
  }

  private async publishReport(): Promise<void> {
    await this.publishRetained(topics.discovery(this.nodeId), JSON.stringify(this.discovery!.report()));
  }

  private async publishRetained(topic: string, payload: string): Promise<void> {
    await this.client!.publishAsync(topic, payload, { qos: 1, retain: true });
  }

  private async publishReply(topic: string, payload: string): Promise<void> {
    await this.client!.publishAsync(topic, payload, { qos: 1, retain: false });
  }
}
