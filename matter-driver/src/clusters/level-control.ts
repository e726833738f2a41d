import { LevelControl, OnOff } from '@matter/main/clusters';
import { clampTo, has, known, num, type ClusterMapping } from './mapping.ts';

const MAX_LEVEL = 254;

/** Matter level (0-254) to percent; a lit level never reads 0 %. */
export function levelToPercent(level: number): number {
  const pct = Math.round((level * 100) / MAX_LEVEL);
  return level > 0 && pct === 0 ? 1 : pct;
}

export function percentToLevel(pct: number, minLevel = 1, maxLevel = MAX_LEVEL): number {
  return clampTo(Math.round((pct * MAX_LEVEL) / 100), minLevel, maxLevel);
}

/**
 * LevelControl → brightness: `currentLevel` 0-254 as 0-100 %. Setting a level also switches the light on
 * (moveToLevelWithOnOff), as a wall dimmer does; 0 % switches it off and keeps the last level.
 */
export const levelControlMapping: ClusterMapping = {
  name: 'level-control',
  cluster: LevelControl,
  describe: () => ({ traits: ['brightness'] }),
  read: (ep) => {
    const level = num(ep.read(LevelControl, 'currentLevel'));
    return known({ brightness: level === undefined ? undefined : levelToPercent(level) });
  },
  apply: async (ep, patch) => {
    if (!has(patch, 'brightness')) return;
    const pct = Number(patch.brightness);
    if (pct <= 0 && ep.has(OnOff)) return ep.invoke(OnOff, 'off');
    const min = num(ep.read(LevelControl, 'minLevel')) ?? 1;
    const max = num(ep.read(LevelControl, 'maxLevel')) ?? MAX_LEVEL;
    await ep.invoke(LevelControl, 'moveToLevelWithOnOff', {
      level: percentToLevel(pct, min, max),
      transitionTime: 0,
      optionsMask: {},
      optionsOverride: {},
    });
  },
};
