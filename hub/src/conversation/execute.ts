import type { DeviceAction } from '../understanding/contract.ts';
import type { ActionResult, DeviceGateway } from './contract.ts';

/**
 * Runs actions: in order for one device (turnOn before setBrightness), in parallel across devices (a scene's
 * thirteen devices do not wait for each other). Results come back in the order the actions were given.
 */
export async function executeActions(gateway: DeviceGateway, actions: readonly DeviceAction[]): Promise<ActionResult[]> {
  const byDevice = new Map<string, number[]>();
  actions.forEach((a, i) => byDevice.set(a.deviceId, [...(byDevice.get(a.deviceId) ?? []), i]));
  const results: ActionResult[] = new Array(actions.length);
  await Promise.all(
    [...byDevice.values()].map(async (indexes) => {
      for (const i of indexes) results[i] = await gateway.execute(actions[i]!);
    }),
  );
  return results;
}
