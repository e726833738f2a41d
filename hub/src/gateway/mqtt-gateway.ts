import type { Logger } from 'pino';
import { StewardError, commandEffect, toErrorBody, type State } from '@steward/device-adapters';
import type { ActionResult, DeviceAction, DirectGateway } from '../core/actions.ts';
import type { Registry } from '../registry/registry.ts';
import type { RpcClient } from '../transport/rpc-client.ts';

/**
 * Errors the device model can tell before anything is sent. CONFLICT is not among them: it depends on state the hub
 * may know late (a washer that just finished), so the node, which knows, decides.
 */
const CHECKED_HERE = new Set(['UNKNOWN_COMMAND', 'UNSUPPORTED_COMMAND', 'BAD_REQUEST', 'OUT_OF_RANGE', 'INVALID_VALUE']);

/**
 * Actions to devices over MQTT: checks the command against the device model, sends it as a `command` RPC to the
 * device's node, and completes only on the node's acknowledgement, whose state it records. Never throws.
 */
export class MqttGateway implements DirectGateway {
  private readonly log: Logger;

  constructor(
    private readonly registry: Registry,
    private readonly rpc: RpcClient,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'gateway' });
  }

  state(deviceId: string): State | undefined {
    return this.registry.state(deviceId);
  }

  /** Throws the device model's StewardError for a command this device cannot take; nothing is sent. */
  check(action: DeviceAction): void {
    const device = this.registry.device(action.deviceId);
    if (!device) throw new StewardError('UNKNOWN_DEVICE', `no device ${action.deviceId}`);
    try {
      commandEffect(device, this.registry.state(action.deviceId) ?? {}, action.command, action.params);
    } catch (e) {
      if (e instanceof StewardError && CHECKED_HERE.has(e.code)) throw e;
    }
  }

  async execute(action: DeviceAction): Promise<ActionResult> {
    const base = { deviceId: action.deviceId, command: action.command, params: action.params };
    try {
      this.check(action);
      const device = this.registry.device(action.deviceId)!;
      const ack = await this.rpc.call(device.nodeId, 'command', { deviceId: device.id, command: action.command, params: action.params }, device.id);
      this.registry.applyAcknowledged(device.id, ack);
      const targets = Object.fromEntries(Object.entries(ack.targets).filter(([, v]) => v !== null));
      this.log.info({ deviceId: device.id, nodeId: device.nodeId, command: action.command }, 'command acknowledged');
      return { ...base, ok: true, state: { ...ack.state, ...targets } };
    } catch (e) {
      const error = toErrorBody(e);
      this.log.info({ deviceId: action.deviceId, command: action.command, code: error.code }, `command failed: ${error.message}`);
      return { ...base, ok: false, error };
    }
  }
}
