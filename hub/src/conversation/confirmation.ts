/**
 * What needs the user's confirmation is defined by state change, not by wording (home file `confirm` rules, see
 * `@steward/device-adapters` confirm.ts): every action is checked against the state it would produce, whatever
 * sentence, scene, API call or planner produced it.
 */
import { confirmationCheck, type State } from '@steward/device-adapters';
import type { DeviceAction, HomeView } from '../understanding/contract.ts';

/**
 * Splits actions into those that may run now and those held for confirmation. States are chained per device, so
 * "set the trunk to 0 then open it" is judged on what the second action changes.
 */
export function splitByConfirmation(
  actions: readonly DeviceAction[],
  view: HomeView,
  stateOf: (deviceId: string) => State | undefined,
): { run: DeviceAction[]; hold: DeviceAction[] } {
  const devices = new Map(view.devices().map((d) => [d.id, d]));
  const predicted = new Map<string, State>();
  const run: DeviceAction[] = [];
  const hold: DeviceAction[] = [];
  for (const action of actions) {
    const device = devices.get(action.deviceId);
    if (!device || device.confirm.length === 0) {
      run.push(action);
      continue;
    }
    const before = predicted.get(device.id) ?? stateOf(device.id) ?? {};
    const { after, triggered } = confirmationCheck(device, device.confirm, before, action.command, action.params);
    if (after) predicted.set(device.id, after);
    (triggered.length > 0 ? hold : run).push(action);
  }
  return { run, hold };
}
