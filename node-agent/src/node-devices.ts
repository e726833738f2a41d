import { StewardError, isStewardError, type DeviceDriver, type DeviceState } from '@steward/device-adapters';

/**
 * The devices a node hosts. Commands to one device run one after another in arrival order (a real driver may take
 * time to talk to its hardware); different devices do not wait for each other.
 */
export class NodeDevices {
  private readonly drivers = new Map<string, DeviceDriver>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly nodeId: string,
    drivers: readonly DeviceDriver[],
  ) {
    for (const d of drivers) this.drivers.set(d.descriptor.id, d);
  }

  all(): DeviceDriver[] {
    return [...this.drivers.values()];
  }

  /** a device adopted while the node runs */
  add(driver: DeviceDriver): void {
    const id = driver.descriptor.id;
    if (this.drivers.has(id)) throw new StewardError('CONFLICT', `node ${this.nodeId} already has a device ${id}`);
    this.drivers.set(id, driver);
  }

  /** Takes a device off the node once its queued commands are done; the caller closes the driver. */
  async remove(deviceId: string): Promise<DeviceDriver | undefined> {
    const driver = this.drivers.get(deviceId);
    if (!driver) return undefined;
    this.drivers.delete(deviceId);
    await this.queues.get(deviceId);
    return driver;
  }

  find(deviceId: string): DeviceDriver | undefined {
    return this.drivers.get(deviceId);
  }

  get(deviceId: string): DeviceDriver {
    const d = this.drivers.get(deviceId);
    if (!d) throw new StewardError('UNKNOWN_DEVICE', `node ${this.nodeId} has no device ${deviceId}`);
    return d;
  }

  /**
   * Runs a command through the device's driver; a driver's own failure becomes DRIVER_ERROR. `admit` runs first,
   * in the device's queue, against the state the command will meet (the confirmation guard); it throws to refuse.
   */
  execute(deviceId: string, command: string, params: Record<string, unknown>, admit?: (driver: DeviceDriver) => void): Promise<void> {
    const driver = this.get(deviceId);
    return this.serial(deviceId, async () => {
      admit?.(driver);
      try {
        await driver.execute(command, params);
      } catch (e) {
        if (isStewardError(e)) throw e;
        throw new StewardError('DRIVER_ERROR', `${deviceId} failed to ${command}: ${(e as Error).message}`);
      }
    });
  }

  reset(deviceId: string): Promise<void> {
    const driver = this.get(deviceId);
    return this.serial(deviceId, () => driver.reset());
  }

  stateOf(deviceId: string): DeviceState {
    const d = this.get(deviceId);
    return { state: d.state(), targets: d.targets() };
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.all().map((d) => d.close()));
  }

  private serial<T>(deviceId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(deviceId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(deviceId, settled);
    void settled.then(() => {
      if (this.queues.get(deviceId) === settled) this.queues.delete(deviceId);
    });
    return run;
  }
}
