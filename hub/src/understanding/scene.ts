/**
 * A scene is a map of desired states; each desired field becomes the command its trait names for it
 * (FieldSpec.set), so "bedside_lamp: {on: true, brightness: 10}" is turnOn then setBrightness 10.
 */
import { fieldsOf, type Scene } from '@steward/device-adapters';
import type { DeviceAction } from './contract.ts';
import type { Compiled } from './compile.ts';

export function sceneActions(scene: Scene, c: Pick<Compiled, 'devices'>): DeviceAction[] {
  const out: DeviceAction[] = [];
  for (const [deviceId, desired] of Object.entries(scene.states)) {
    const d = c.devices.get(deviceId);
    if (!d) continue;
    const fields = fieldsOf(d);
    const calls: DeviceAction[] = [];
    for (const [field, value] of Object.entries(desired)) {
      const call = fields[field]?.set?.(value);
      if (!call) continue;
      // two fields of one command (hue and saturation) travel together
      const same = calls.find((x) => x.command === call.command);
      if (same) Object.assign(same.params, call.params);
      else calls.push({ deviceId, command: call.command, params: { ...call.params } });
    }
    // power on before other settings, power off after them
    const rank = (a: DeviceAction) => (a.command === 'turnOn' ? 0 : a.command === 'turnOff' ? 2 : 1);
    out.push(...calls.sort((a, b) => rank(a) - rank(b)));
  }
  return out;
}
