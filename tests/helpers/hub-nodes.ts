import { decodeValue, fieldsOf, topics, type Home, type Value } from '@steward/device-adapters';
import { MqttCollector } from './mqtt-collector.ts';
import { waitUntil } from './wait.ts';

/**
 * What the node agents themselves published, read with an independent MQTT client: the ground truth a hub test
 * asserts on (never what the hub says it set).
 */
export class NodeReports {
  private constructor(
    readonly collector: MqttCollector,
    private readonly home: Home,
  ) {}

  /** `login`: MQTT credentials (the hub's embedded broker refuses anonymous clients; see TestHub.mqttAdmin) */
  static async connect(url: string, home: Home, login?: { username: string; password: string }): Promise<NodeReports> {
    return new NodeReports(await MqttCollector.connect(url, ['homie/5/#'], login), home);
  }

  private device(deviceId: string) {
    const d = this.home.devices.find((x) => x.id === deviceId);
    if (!d) throw new Error(`the test home has no device ${deviceId}`);
    return d;
  }

  /** the value a node last published for a device field, decoded; undefined when none seen */
  value(deviceId: string, field: string): Value | undefined {
    const d = this.device(deviceId);
    const payload = this.collector.latest(topics.property(d.node, d.id, field));
    return payload === undefined ? undefined : decodeValue(fieldsOf(d)[field]!, payload);
  }

  /** the node's last `$state` */
  nodeState(nodeId: string): string | undefined {
    return this.collector.latest(topics.state(nodeId));
  }

  async waitForValue(deviceId: string, field: string, expected: Value, timeoutMs = 10_000): Promise<void> {
    await waitUntil(
      () => this.value(deviceId, field) === expected,
      `${deviceId}.${field} to be reported as ${JSON.stringify(expected)} (last: ${JSON.stringify(this.value(deviceId, field))})`,
      timeoutMs,
    );
  }

  /** the node's own snapshot over RPC: what its drivers hold right now */
  async snapshot(nodeId: string): Promise<Record<string, { state: Record<string, Value>; targets: Record<string, Value> }>> {
    const r = await this.collector.rpc(nodeId, 'snapshot');
    if (r.ok !== true) throw new Error(`snapshot of ${nodeId} failed: ${JSON.stringify(r)}`);
    return r.devices as Record<string, { state: Record<string, Value>; targets: Record<string, Value> }>;
  }

  close(): Promise<void> {
    return this.collector.close();
  }
}
