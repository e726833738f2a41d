import { LIMITS, decodeValue, fieldsOf, toErrorBody } from '@steward/device-adapters';
import type { Logger } from './logger.ts';
import type { NodeDevices } from './node-devices.ts';
import type { ConfirmGuard } from './confirm-guard.ts';
import type { AgentRejections } from './rejections.ts';

/**
 * Homie `/set` from third-party controllers (mosquitto_pub, Home Assistant, openHAB). The payload is decoded with
 * the property's datatype and mapped to the command it stands for, so it is validated exactly like an RPC command.
 * Homie has no reply channel: a bad value is logged and ignored, and the property topic simply does not change.
 */
export async function handleSet(
  devices: NodeDevices,
  target: { deviceId: string; field: string },
  payload: Buffer,
  retained: boolean,
  log: Logger,
  guard?: ConfirmGuard,
  rejections?: AgentRejections,
): Promise<void> {
  const { deviceId, field } = target;
  const ctx = { deviceId, field };
  // counted and logged once per topic and window (a flood of bad /set writes a few lines, not one each)
  const ignore = (reason: string, more: Record<string, unknown> = {}): void =>
    rejections ? rejections.reject('set', `set ${deviceId}/${field}`, reason, { ...ctx, ...more }) : log.warn({ ...ctx, ...more }, reason);
  // A retained /set would replay a stale command on every (re)subscribe; Homie controllers never retain /set.
  if (retained) return ignore('ignored a retained /set message');
  if (payload.length > LIMITS.setPayloadBytes) {
    return ignore(`ignored /set larger than ${LIMITS.setPayloadBytes} bytes`, { bytes: payload.length });
  }
  const driver = devices.find(deviceId);
  if (!driver) return ignore(`ignored /set for unknown device ${deviceId}`);
  const spec = fieldsOf(driver.descriptor)[field];
  if (!spec) return ignore(`ignored /set for unknown property ${field}`);
  if (spec.readOnly || !spec.set) return ignore(`ignored /set: ${field} is not settable`);

  const text = payload.toString('utf8');
  const value = decodeValue(spec, text);
  if (value === undefined) return ignore(`ignored /set: not a valid ${spec.datatype}`, { payload: text.slice(0, 100) });
  const { command, params } = spec.set(value);
  try {
    // a change the device's confirm rules list (unlock, open) is refused here, not held: Homie cannot prove the hub sent it
    await devices.execute(deviceId, command, params, guard && ((d) => guard.checkSet(d, command, params)));
    log.info({ ...ctx, command }, 'executed /set');
  } catch (e) {
    const error = toErrorBody(e);
    ignore(`${error.code === 'FORBIDDEN' ? 'refused' : 'ignored'} /set: ${error.message}`, { command, code: error.code });
  }
}
