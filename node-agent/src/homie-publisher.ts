import {
  LIMITS,
  StewardError,
  buildDescription,
  encodeValue,
  fieldsOf,
  topics,
  type DeviceDriver,
  type HomieDescription,
  type HomieState,
  type StateUpdate,
  type Value,
} from '@steward/device-adapters';

/** Homie 5 "QoS and retained messages": QoS 1, and retained unless stated otherwise. */
export type Publish = (topic: string, payload: string) => Promise<void>;

/**
 * Publishes a node agent as a Homie 5 device: `$state`, `$description`, one retained topic per property, and
 * `$target` for gradual properties.
 *
 * Homie 5 "Target attribute": a property that uses `$target` must use it for every value update, including the
 * initial one; the device first updates `$target`, then moves, and ends with the value matching `$target`. So a
 * gradual property always has a `$target`: the commanded value while it moves, its own value once it rests.
 */
export class HomiePublisher {
  private _description!: HomieDescription;
  /** last `$target` payload per property topic */
  private readonly published = new Map<string, string>();

  constructor(
    private readonly nodeId: string,
    private readonly name: string,
    private readonly kind: string,
    private drivers: readonly DeviceDriver[],
    private readonly publish: Publish,
  ) {
    this.describe(drivers);
  }

  get description(): HomieDescription {
    return this._description;
  }

  private describe(drivers: readonly DeviceDriver[]): void {
    const description = buildDescription(this.name, this.kind, drivers.map((d) => d.descriptor));
    const bytes = Buffer.byteLength(JSON.stringify(description));
    if (bytes > LIMITS.descriptionBytes) {
      throw new StewardError('PAYLOAD_TOO_LARGE', `$description of ${this.nodeId} is ${bytes} bytes, above the limit of ${LIMITS.descriptionBytes}`);
    }
    this._description = description;
    this.drivers = drivers;
  }

  /**
   * The node's devices changed (one adopted or dropped): a new description (its version changes), then, when
   * `connected`, the new `$description`, the added device's values, and the dropped one's retained topics cleared.
   * Throws (changing nothing) when the description would be too large.
   */
  async devicesChanged(drivers: readonly DeviceDriver[], change: { added?: DeviceDriver; removed?: DeviceDriver }, connected: boolean): Promise<void> {
    this.describe(drivers);
    if (!connected) return;
    await this.publish(topics.description(this.nodeId), JSON.stringify(this._description));
    const all: Promise<void>[] = [];
    if (change.added) {
      const d = change.added;
      const state = d.state();
      all.push(...this.targetsOf(d, Object.keys(state)));
      for (const [field, value] of Object.entries(state)) all.push(this.value(d.descriptor.id, field, value));
    }
    if (change.removed) {
      const specs = fieldsOf(change.removed.descriptor);
      for (const [field, spec] of Object.entries(specs)) {
        all.push(this.publish(topics.property(this.nodeId, change.removed.descriptor.id, field), ''));
        if (spec.gradual) {
          const topic = topics.target(this.nodeId, change.removed.descriptor.id, field);
          this.published.delete(topic);
          all.push(this.publish(topic, ''));
        }
      }
    }
    await Promise.all(all);
  }

  setState(state: HomieState): Promise<void> {
    return this.publish(topics.state(this.nodeId), state);
  }

  /** `$description`, then every property's value and target (after a (re)connect: the broker may have lost them). */
  async announce(): Promise<void> {
    this.published.clear();
    await this.publish(topics.description(this.nodeId), JSON.stringify(this._description));
    const all: Promise<void>[] = [];
    for (const d of this.drivers) {
      const state = d.state();
      all.push(...this.targetsOf(d, Object.keys(state)));
      for (const [field, value] of Object.entries(state)) all.push(this.value(d.descriptor.id, field, value));
    }
    await Promise.all(all);
  }

  /** A driver's change: targets first (Homie: "first update the $target attribute, then start the transition"). */
  async changed(driver: DeviceDriver, update: StateUpdate): Promise<void> {
    const fields = [...new Set([...Object.keys(update.targets), ...Object.keys(update.state)])];
    const all = this.targetsOf(driver, fields);
    for (const [field, value] of Object.entries(update.state)) all.push(this.value(driver.descriptor.id, field, value));
    await Promise.all(all);
  }

  private value(deviceId: string, field: string, value: Value): Promise<void> {
    return this.publish(topics.property(this.nodeId, deviceId, field), encodeValue(value));
  }

  /** publishes `$target` of the given gradual fields whose effective target changed */
  private targetsOf(driver: DeviceDriver, fields: readonly string[]): Promise<void>[] {
    const specs = fieldsOf(driver.descriptor);
    const gradual = fields.filter((f) => specs[f]?.gradual);
    if (gradual.length === 0) return [];
    const state = driver.state();
    const targets = driver.targets();
    const out: Promise<void>[] = [];
    for (const field of gradual) {
      const topic = topics.target(this.nodeId, driver.descriptor.id, field);
      const payload = encodeValue(field in targets ? (targets[field] ?? null) : (state[field] ?? null));
      if (this.published.get(topic) === payload) continue;
      this.published.set(topic, payload);
      out.push(this.publish(topic, payload));
    }
    return out;
  }
}
