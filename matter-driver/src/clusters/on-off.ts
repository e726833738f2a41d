import { OnOff } from '@matter/main/clusters';
import { has, known, type ClusterMapping } from './mapping.ts';

/** OnOff → onOff: the `onOff` attribute; on/off commands. */
export const onOffMapping: ClusterMapping = {
  name: 'on-off',
  cluster: OnOff,
  describe: () => ({ traits: ['onOff'] }),
  read: (ep) => {
    const v = ep.read(OnOff, 'onOff');
    return known({ on: typeof v === 'boolean' ? v : undefined });
  },
  apply: async (ep, patch) => {
    if (has(patch, 'on')) await ep.invoke(OnOff, patch.on ? 'on' : 'off');
  },
};
