import type { Logger } from 'pino';
import type { Rejections } from '../core/rejections.ts';
import {
  HOMIE_ROOT,
  HomieDescriptionSchema,
  HomieStateSchema,
  LIMITS,
  decodeValue,
  deviceIdToHomie,
  fieldsOf,
  parseTopic,
  validateState,
  type Value,
} from '@steward/device-adapters';
import type { Registry } from '../registry/registry.ts';
import type { InboundMessage, MqttConnection } from './mqtt-connection.ts';

/** a property value is a short string (the longest is a destination of 200 characters) */
const MAX_VALUE_BYTES = LIMITS.setPayloadBytes;
const MAX_STATE_BYTES = 32;

export interface ListenerStats {
  accepted: number;
  dropped: number;
}

/**
 * Reads what nodes publish under `homie/5/#` into the registry: `$state` (presence), property values and `$target`s.
 * Anything malformed, unknown or out of range is logged with its node and device and dropped; the last good value
 * stays. The hub trusts nothing a node sends beyond what the device model allows.
 */
export class HomieListener {
  readonly stats: ListenerStats = { accepted: 0, dropped: 0 };
  private readonly log: Logger;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly conn: MqttConnection,
    private readonly registry: Registry,
    logger: Logger,
    private readonly rejections?: Rejections,
  ) {
    this.log = logger.child({ component: 'homie' });
  }

  async start(): Promise<void> {
    this.unsubscribe = this.conn.messages.on((m) => this.handle(m));
    await this.conn.subscribe([`${HOMIE_ROOT}/#`]);
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private drop(context: Record<string, unknown>, why: string): void {
    this.stats.dropped++;
    // rate-limited per node: a flood of bad payloads writes a line and a summary, not a line each
    if (this.rejections) this.rejections.reject('mqtt-payload', String(context.nodeId ?? 'unknown'), why, context);
    else this.log.warn(context, `dropped: ${why}`);
  }

  private handle({ topic, payload }: InboundMessage): void {
    const t = parseTopic(topic);
    switch (t.kind) {
      case 'state':
        return this.onState(t.nodeId, payload);
      case 'description':
        return this.onDescription(t.nodeId, payload);
      case 'property':
      case 'target':
        return this.onValue(t.kind, t.nodeId, t.deviceId, t.field, payload, topic);
      default:
        // `/set` is for the node (sent by controllers); other topics are not ours to read
        return;
    }
  }

  private onState(nodeId: string, payload: Buffer): void {
    if (payload.length > MAX_STATE_BYTES) return this.drop({ nodeId, bytes: payload.length }, '$state payload too large');
    const text = payload.toString('utf8');
    // an empty retained payload clears the topic (Homie 5: a removed device)
    const parsed = text === '' ? null : HomieStateSchema.safeParse(text);
    if (parsed && !parsed.success) return this.drop({ nodeId, payload: text }, `$state is not a Homie state`);
    if (!this.registry.setNodeState(nodeId, parsed ? parsed.data : null)) {
      this.log.debug({ nodeId }, 'ignored $state of a node not in the registry');
      return;
    }
    this.stats.accepted++;
  }

  private onDescription(nodeId: string, payload: Buffer): void {
    if (!this.registry.hasNode(nodeId) || payload.length === 0) return;
    if (payload.length > LIMITS.descriptionBytes) return this.drop({ nodeId, bytes: payload.length }, '$description too large');
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      return this.drop({ nodeId }, '$description is not JSON');
    }
    const r = HomieDescriptionSchema.safeParse(raw);
    if (!r.success) return this.drop({ nodeId, issues: r.error.issues.slice(0, 3) }, '$description does not follow Homie 5');
    // the registry (home file, later pairing) defines devices; a node describing others is worth a warning
    const expected = new Set(this.registry.node(nodeId)?.devices.map(deviceIdToHomie));
    const unknown = Object.keys(r.data.nodes).filter((id) => !expected.has(id));
    if (unknown.length > 0) this.log.warn({ nodeId, unknown }, 'node describes devices the registry does not have');
    this.stats.accepted++;
  }

  private onValue(kind: 'property' | 'target', nodeId: string, deviceId: string, field: string, payload: Buffer, topic: string): void {
    const ctx = { nodeId, deviceId, field, topic };
    if (payload.length > MAX_VALUE_BYTES) return this.drop({ ...ctx, bytes: payload.length }, `payload over ${MAX_VALUE_BYTES} bytes`);
    const device = this.registry.device(deviceId);
    // an empty retained payload clears the topic of a device the node no longer has (Homie 5): nothing to refuse
    if (!device && payload.length === 0) return;
    if (!device || device.nodeId !== nodeId) return this.drop(ctx, 'no such device on this node');
    const spec = fieldsOf(device)[field];
    if (!spec) return this.drop(ctx, `${deviceId} has no field ${field}`);
    const text = payload.toString('utf8');
    if (kind === 'target' && text === '') {
      this.registry.reportTarget(deviceId, field, null);
      this.stats.accepted++;
      return;
    }
    const value: Value | undefined = decodeValue(spec, text);
    if (value === undefined) return this.drop({ ...ctx, payload: text.slice(0, 64) }, `not a valid ${spec.datatype}`);
    const problems = validateState(device, { [field]: value }, { complete: false });
    if (problems.length > 0) return this.drop({ ...ctx, value }, problems.join('; '));
    if (kind === 'target') this.registry.reportTarget(deviceId, field, value);
    else this.registry.reportValue(deviceId, field, value);
    this.stats.accepted++;
  }
}
