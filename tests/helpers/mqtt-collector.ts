import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { RPC_ROOT } from '@steward/device-adapters';
import { waitUntil } from './wait.ts';

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
  at: number;
}

/**
 * An MQTT client (protocol 3.1.1) that records every message on its subscriptions, with bounded waits for the one
 * a test expects.
 */
export class MqttCollector {
  readonly messages: Received[] = [];
  /** response topics already subscribed to by rpc() */
  private readonly subscribed = new Set<string>();

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => this.messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain, at: Date.now() }));
  }

  static async connect(url: string, subscriptions: string[] = [], opts: { username?: string; password?: string } = {}): Promise<MqttCollector> {
    const client = await connectAsync(url, { protocolVersion: 4, clientId: `test-${randomUUID().slice(0, 8)}`, reconnectPeriod: 0, ...opts });
    const c = new MqttCollector(client);
    if (subscriptions.length > 0) await c.subscribe(subscriptions);
    return c;
  }

  async subscribe(topics: string[]): Promise<void> {
    await this.client.subscribeAsync(topics, { qos: 1 });
  }

  /** the first recorded message (from `since` on) that matches */
  find(pred: (m: Received) => boolean, since = 0): Received | undefined {
    return this.messages.slice(since).find(pred);
  }

  /** waits for a message matching `pred` (messages already received count) */
  waitFor(pred: (m: Received) => boolean, timeoutMs = 10_000, what = 'a matching message', since = 0): Promise<Received> {
    return waitUntil(() => this.find(pred, since), what, timeoutMs);
  }

  /** the payload last received on a topic */
  latest(topic: string): string | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i]!.topic === topic) return this.messages[i]!.payload;
    return undefined;
  }

  /** waits until the latest payload on `topic` satisfies `pred` */
  waitForValue(topic: string, pred: (payload: string) => boolean, timeoutMs = 10_000): Promise<string> {
    return waitUntil(() => {
      const v = this.latest(topic);
      return v !== undefined && pred(v) ? v : undefined;
    }, `${topic} to satisfy a condition (latest: ${this.latest(topic)})`, timeoutMs);
  }

  /** publishes a raw RPC request and waits for the reply with the given id */
  async rpcRaw(nodeId: string, method: string, payload: string | Buffer, id: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const resTopic = `${RPC_ROOT}/${nodeId}/rpc/${method}/res`;
    if (!this.subscribed.has(resTopic)) {
      await this.subscribe([resTopic]);
      this.subscribed.add(resTopic);
    }
    const since = this.messages.length;
    await this.client.publishAsync(`${RPC_ROOT}/${nodeId}/rpc/${method}/req`, payload, { qos: 1 });
    const m = await this.waitFor((x) => x.topic === resTopic && (JSON.parse(x.payload) as { id?: unknown }).id === id, timeoutMs, `the ${method} reply ${id}`, since);
    return JSON.parse(m.payload) as Record<string, unknown>;
  }

  /** an RPC request with a fresh id unless the body has one */
  rpc(nodeId: string, method: string, body: Record<string, unknown> = {}, timeoutMs?: number): Promise<Record<string, unknown>> {
    const id = typeof body.id === 'string' ? body.id : randomUUID();
    return this.rpcRaw(nodeId, method, JSON.stringify({ ...body, id }), id, timeoutMs);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
