import { effectiveConfirmRules, fieldsOf, type ConfirmRule, type DeviceShape } from '@steward/device-adapters';
import type { ControllerSetPolicy } from './topic-rules.ts';

/** what the policy needs of a registry device (the registry's DeviceRecord has it) */
export interface PolicyDevice extends DeviceShape {
  type: string;
  nodeId: string;
  confirm: readonly ConfirmRule[];
}

/** the state field each confirmation rule guards (home.ts: "unlock" = locked becomes false, "open" = position rises) */
const GUARDED_FIELD: Record<ConfirmRule, string> = { unlock: 'locked', open: 'position' };

/**
 * A controller (Home Assistant, openHAB, mosquitto_pub) may /set a property only when it exists on that node, is
 * settable, and needs no confirmation: never `locked` of a lock with confirm unlock, never `position` of a device
 * with confirm open (the home's rules and each type's defaults). Such changes go through the hub, which asks the owner first. Pass `registry.device`.
 */
export function controllerPolicyFromDevices(lookup: (deviceId: string) => PolicyDevice | undefined): ControllerSetPolicy {
  return ({ nodeId, deviceId, field }) => {
    const device = lookup(deviceId);
    if (!device || device.nodeId !== nodeId) return false;
    const spec = fieldsOf(device)[field];
    if (!spec || spec.readOnly || !spec.set) return false;
    // the type's defaults too: the node agent refuses those over /set whatever the home says (the broker agrees)
    return !effectiveConfirmRules(device, device.confirm).some((rule) => GUARDED_FIELD[rule] === field);
  };
}
