import { MINUTE, num, type BehaviourFactory } from './behaviour.ts';

/**
 * A room purifier of about 300 m³/h clean-air delivery in a 20 m² bedroom changes the air about six times an hour
 * at full speed: fine particles fall by about a tenth a minute at high, less at lower speeds; `sleep` runs quietest.
 * Off, the room drifts back toward the level it had when the purifier was installed (outdoor air leaking in).
 */
export const PURIFIER = {
  /** fraction of PM2.5 removed per minute, by fan speed, and by modes that set their own speed */
  removalPerMin: { low: 0.03, medium: 0.06, high: 0.1, sleep: 0.02, turbo: 0.12 } as Record<string, number>,
  /** what a purifier cannot get below (µg/m³) */
  floor: 3,
  /** fraction of the way back to the baseline per minute while off */
  driftPerMin: 0.02,
};

export const airPurifying: BehaviourFactory = (host) => {
  const baseline = num(host.state(), 'pm25', 35);
  // kept with fractions; the device reports whole µg/m³
  let pm = baseline;
  const minute = host.clock.every(MINUTE, () => {
    const s = host.state();
    if (s.on === true) {
      const mode = String(s.mode ?? '');
      const rate = PURIFIER.removalPerMin[mode] ?? PURIFIER.removalPerMin[String(s.fanSpeed)] ?? PURIFIER.removalPerMin.low!;
      pm = Math.max(PURIFIER.floor, pm * (1 - rate));
    } else pm += (baseline - pm) * PURIFIER.driftPerMin;
    const reported = Math.round(pm);
    if (reported !== s.pm25) host.apply({ pm25: reported });
  });
  return {
    afterChange(changed) {
      if (typeof changed.pm25 === 'number' && Math.round(pm) !== changed.pm25) pm = changed.pm25;
    },
    dispose: () => minute.cancel(),
  };
};
