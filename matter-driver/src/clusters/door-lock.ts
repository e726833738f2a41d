import { DoorLock } from '@matter/main/clusters';
import { has, known, num, type ClusterMapping } from './mapping.ts';

/** DoorLock LockState: 1 is locked; 0 (not fully locked), 2 (unlocked) and 3 (unlatched) are not */
const LOCKED = 1;

/**
 * DoorLock → lock: `lockState`; lockDoor/unlockDoor as timed invokes (the spec requires it). A lock that asks a
 * PIN for remote operation refuses them: Steward keeps no PINs.
 */
export const doorLockMapping: ClusterMapping = {
  name: 'door-lock',
  cluster: DoorLock,
  describe: () => ({ traits: ['lock'] }),
  read: (ep) => {
    const state = num(ep.read(DoorLock, 'lockState'));
    return known({ locked: state === undefined ? undefined : state === LOCKED });
  },
  apply: async (ep, patch) => {
    if (has(patch, 'locked')) await ep.invoke(DoorLock, patch.locked ? 'lockDoor' : 'unlockDoor', {}, { timed: true });
  },
};
