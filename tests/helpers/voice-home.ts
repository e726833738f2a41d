import type { Home } from '@steward/device-adapters';
import { subsetHome } from './hub-home.ts';

export const CAR = 'car-head-unit';
export const KITCHEN = 'kitchen-hub';

/**
 * The car head unit and the kitchen hub for the voice-on-node tests: the car's media unit hears (microphone) and
 * speaks (audioOutput), the car has a light of its own, and the kitchen light starts off, so that a light turned on
 * in the wrong area would show. `moreNodes`: other nodes of the benchmark home, as they are.
 */
export function voiceHome(moreNodes: readonly string[] = []): Home {
  const home = subsetHome([CAR, KITCHEN, ...moreNodes]);
  return {
    ...home,
    devices: [
      ...home.devices.map((d) => {
        if (d.id === 'car_media') return { ...d, traits: [...d.traits, 'microphone', 'audioOutput'] as typeof d.traits };
        if (d.id === 'kitchen_light') return { ...d, state: { ...d.state, on: false } };
        return d;
      }),
      { id: 'car_light', node: CAR, area: 'car', type: 'light', names: { en: ['car light', 'cabin light'], zh: ['车灯'] }, traits: ['onOff'], attributes: {}, state: { on: false }, confirm: [] } as unknown as Home['devices'][number],
    ],
  };
}
