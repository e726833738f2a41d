import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { StewardError } from '@steward/device-adapters';
import { Signal } from '../core/signal.ts';

export interface MqttConnectionOptions {
  url: string;
  logger: Logger;
  /** per-client credentials once pairing exists (issue 5); the embedded broker accepts anyone on loopback until then */
  username?: string;
  password?: string;
  connectTimeoutMs?: number;
}

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

/**
 * The hub's own MQTT client. MQTT 3.1.1 (protocol version 4): aedes speaks nothing newer. It reconnects by itself
 * and, with a clean session, mqtt.js subscribes again after each reconnect, so retained `$state` and property values
 * arrive again and the registry catches up.
 */
export class MqttConnection {
  readonly messages = new Signal<InboundMessage>();
  /** false when the broker connection is lost, true when it is back (mqtt.js reconnects and subscribes again) */
  readonly connectionChanged = new Signal<boolean>();
  private readonly log: Logger;
  private up = true;

  private constructor(
    private readonly client: MqttClient,
    logger: Logger,
  ) {
    this.log = logger;
    // see the broker: no Nagle delay on small request/response packets; a reconnect makes a new socket
    const noDelay = () => (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
    noDelay();
    client.on('connect', noDelay);
    client.on('message', (topic, payload, packet) => {
      this.messages.emit({ topic, payload, retain: packet.retain }, (err) => this.log.error({ err, topic }, 'message handler failed'));
    });
    client.on('reconnect', () => this.log.debug('reconnecting to the broker'));
    client.on('offline', () => {
      this.log.warn('broker connection lost; reconnecting every second');
      this.setUp(false);
    });
    client.on('connect', () => {
      if (!this.up) this.log.warn('reconnected to the broker');
      this.setUp(true);
    });
    client.on('error', (err) => this.log.warn({ err: err.message }, 'MQTT client error'));
  }

  static async open(opts: MqttConnectionOptions): Promise<MqttConnection> {
    const logger = opts.logger.child({ component: 'mqtt' });
    try {
      const client = await mqtt.connectAsync(opts.url, {
        protocolVersion: 4,
        // no pre-built Buffer for each of the 65536 packet numbers (mqtt-packet's cache, shared with aedes): 6 MB of
        // heap and its collection at every start, for no measurable gain at a hub's message rates
        writeCache: false,
        clientId: `steward-hub-${randomBytes(4).toString('hex')}`,
        clean: true,
        reconnectPeriod: 1000,
        connectTimeout: opts.connectTimeoutMs ?? 5000,
        ...(opts.username !== undefined ? { username: opts.username } : {}),
        ...(opts.password !== undefined ? { password: opts.password } : {}),
      });
      logger.info({ url: opts.url }, 'hub connected to the broker');
      return new MqttConnection(client, logger);
    } catch (e) {
      throw new StewardError('INTERNAL', `cannot connect to the MQTT broker at ${opts.url}: ${(e as Error).message}`);
    }
  }

  private setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.connectionChanged.emit(up, (err) => this.log.error({ err }, 'connection listener failed'));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async subscribe(filters: string[]): Promise<void> {
    const granted = await this.client.subscribeAsync(filters, { qos: 1 });
    const refused = granted.filter((g) => g.qos === 128);
    if (refused.length > 0) throw new StewardError('UNAUTHORIZED', `the broker refused subscriptions: ${refused.map((g) => g.topic).join(', ')}`);
  }

  async publish(topic: string, payload: string | Buffer, opts: { qos?: 0 | 1; retain?: boolean } = {}): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: opts.qos ?? 1, retain: opts.retain ?? false });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
