import { WindowCovering } from '@matter/main/clusters';
import type { State } from '@steward/device-adapters';
import { has, known, num, type ClusterMapping } from './mapping.ts';

/** Matter counts how closed a covering is in 0.01 % (0 open, 10000 closed); Steward how open it is in %. */
export const percent100thsToOpen = (closed100ths: number) => 100 - Math.round(closed100ths / 100);
export const openToPercent100ths = (open: number) => Math.round((100 - open) * 100);

/**
 * WindowCovering (Lift) → position: `currentPositionLiftPercent100ths` inverted; a target that differs is
 * reported as the position's `$target` while the motor runs.
 */
export const windowCoveringMapping: ClusterMapping = {
  name: 'window-covering',
  cluster: WindowCovering,
  describe: () => ({ traits: ['position'] }),
  read: (ep) => {
    const current = num(ep.read(WindowCovering, 'currentPositionLiftPercent100ths'));
    return known({ position: current === undefined ? undefined : percent100thsToOpen(current) });
  },
  targets: (ep): State => {
    const current = num(ep.read(WindowCovering, 'currentPositionLiftPercent100ths'));
    const target = num(ep.read(WindowCovering, 'targetPositionLiftPercent100ths'));
    if (target === undefined || current === undefined || percent100thsToOpen(target) === percent100thsToOpen(current)) return {};
    return { position: percent100thsToOpen(target) };
  },
  apply: async (ep, patch) => {
    if (!has(patch, 'position')) return;
    const open = Number(patch.position);
    if (open >= 100) return ep.invoke(WindowCovering, 'upOrOpen');
    if (open <= 0) return ep.invoke(WindowCovering, 'downOrClose');
    if (!ep.feature(WindowCovering, 'positionAwareLift')) return ep.invoke(WindowCovering, open >= 50 ? 'upOrOpen' : 'downOrClose');
    await ep.invoke(WindowCovering, 'goToLiftPercentage', { liftPercent100thsValue: openToPercent100ths(open) });
  },
  commands: { stopMoving: (ep) => ep.invoke(WindowCovering, 'stopMotion') },
};
