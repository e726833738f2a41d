/**
 * What needs the user's confirmation is defined by state change, not by wording (home file `confirm` rules):
 * "unlock" = `locked` becomes false; "open" = `position` rises above 0. Every action is checked against the state
 * it would produce, whatever sentence, scene or planner produced it.
 */
import { commandEffect, type ConfirmRule, type State } from '@steward/device-adapters';
import type { DeviceAction, HomeView } from '../understanding/contract.ts';

function triggers(rule: ConfirmRule, before: State, after: State): boolean {
  switch (rule) {
    case 'unlock':
      return after.locked === false && before.locked !== false;
    case 'open': {
      const from = typeof before.position === 'number' ? before.position : 0;
      return typeof after.position === 'number' && after.position > 0 && after.position > from;
    }
  }
}

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
    let after: State;
    try {
      after = { ...before, ...commandEffect(device, before, action.command, action.params) };
    } catch {
      // The device will refuse it with the reason; nothing would change, so nothing to confirm.
      run.push(action);
      continue;
    }
    predicted.set(device.id, after);
    (device.confirm.some((rule) => triggers(rule, before, after)) ? hold : run).push(action);
  }
  return { run, hold };
}
