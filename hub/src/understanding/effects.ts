/**
 * What a plan is made of: device commands with the effect each has (for the reply), the Home Assistant intent id
 * where one exists, and the reasons a device can refuse a clause.
 */
import type { DeviceAction } from './contract.ts';

export type IntentId =
  | 'HassTurnOn' | 'HassTurnOff' | 'HassToggle' | 'HassLightSet' | 'HassSetVolume' | 'HassSetVolumeRelative'
  | 'HassMediaPlayerMute' | 'HassMediaPlayerUnmute' | 'HassMediaUnpause' | 'HassMediaPause' | 'HassMediaStop'
  | 'HassMediaNext' | 'HassMediaPrevious' | 'HassClimateSetTemperature' | 'HassFanSetSpeed' | 'HassSetPosition'
  | 'HassVacuumStart' | 'HassVacuumReturnToBase' | 'HassVacuumPause' | 'HassLockLock' | 'HassLockUnlock'
  | 'StewardSetMode' | 'StewardSetInput' | 'StewardOpenApp' | 'StewardSetChannel' | 'StewardStartProgram'
  | 'StewardSelectProgram' | 'StewardPauseProgram' | 'StewardSetLevel' | 'StewardNavigate' | 'StewardCancelNavigation'
  | 'StewardSetChargeLimit' | 'StewardStartCharging' | 'StewardStopCharging' | 'StewardSetFridgeTemperature'
  | 'StewardAdjust' | 'StewardStopMoving' | 'HassLawnMowerStartMowing' | 'HassLawnMowerDock' | 'StewardPauseMowing';

export interface Effect {
  intent: IntentId;
  command: string;
  /** the field set or adjusted, when one is */
  field?: string;
  value?: unknown;
  delta?: number;
  /** an absolute value outside the device's range, and the range it was clamped to */
  clamp?: { asked: number; min: number; max: number };
  /** a colour or white name from the lexicon ("blue", "warm") */
  name?: string;
  /** a turnOn added because the command needs the device on; replies leave it unsaid */
  implicit?: boolean;
}

export type Refusal =
  | { kind: 'unsupported' }
  | { kind: 'option'; field: string; options: readonly string[] }
  | { kind: 'noDestination' }
  | { kind: 'colorOnlyWhite' };

/** `score`: how many parts of the clause the device used (an AC uses "22 degrees", a lamp does not) */
export type PlanResult = { ok: true; actions: DeviceAction[]; effects: Effect[]; score: number } | { ok: false; refusal: Refusal };

export interface Step {
  command: string;
  params: Record<string, unknown>;
  effect: Omit<Effect, 'command'>;
  /** 0 power on, 1 values, 2 acts, 3 power off */
  phase: number;
}

