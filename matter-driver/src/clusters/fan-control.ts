import { FanControl, OnOff } from '@matter/main/clusters';
import type { TraitId } from '@steward/device-adapters';
import { has, known, num, type ClusterMapping, type EndpointView } from './mapping.ts';

/** Matter FanMode values */
const MODE = { off: 0, low: 1, medium: 2, high: 3, on: 4, auto: 5 } as const;
const NAMES: Record<number, string> = { 1: 'low', 2: 'medium', 3: 'high', 5: 'auto' };
/** FanModeSequence → the named speeds a device offers (besides off) */
const SEQUENCES: Record<number, string[]> = {
  0: ['low', 'medium', 'high'],
  1: ['low', 'high'],
  2: ['low', 'medium', 'high', 'auto'],
  3: ['low', 'high', 'auto'],
  4: ['high', 'auto'],
  5: ['high'],
};

const speeds = (ep: EndpointView) => SEQUENCES[num(ep.read(FanControl, 'fanModeSequence')) ?? 0] ?? SEQUENCES[0]!;
/** a fan without its own OnOff cluster switches through fanMode */
const ownsPower = (ep: EndpointView) => !ep.has(OnOff);

/** FanControl → fanSpeed (`fanMode` as a named speed, written), and onOff (fanMode off) for a fan without OnOff. */
export const fanControlMapping: ClusterMapping = {
  name: 'fan-control',
  cluster: FanControl,
  describe: (ep) => ({ traits: [...(ownsPower(ep) ? (['onOff'] as TraitId[]) : []), 'fanSpeed'], attributes: { fanSpeeds: speeds(ep) } }),
  read: (ep) => {
    const mode = num(ep.read(FanControl, 'fanMode'));
    return known({
      on: ownsPower(ep) && mode !== undefined ? mode !== MODE.off : undefined,
      fanSpeed: mode === undefined ? undefined : NAMES[mode],
    });
  },
  apply: async (ep, patch) => {
    if (has(patch, 'fanSpeed')) await ep.write(FanControl, 'fanMode', MODE[String(patch.fanSpeed) as keyof typeof MODE] ?? MODE.auto);
    else if (has(patch, 'on')) await ep.write(FanControl, 'fanMode', patch.on ? MODE.on : MODE.off);
  },
};
