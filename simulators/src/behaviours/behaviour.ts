import type { DeviceDescriptor, State } from '@steward/device-adapters';
import type { Clock } from '../clock.ts';

/** What a behaviour sees of the device it animates. */
export interface DeviceHost {
  readonly descriptor: DeviceDescriptor;
  readonly clock: Clock;
  state(): State;
  /** a change the device makes by itself (a countdown, a drifting temperature); reported like any other */
  apply(patch: State): void;
}

/**
 * One way a simulated device evolves over time. Behaviours are small and independent; a device gets the ones its
 * traits call for (see behaviours/index.ts).
 */
export interface Behaviour {
  /**
   * Adjusts the patch a command produced before it is applied (startProgram also sets remainingMin).
   * May throw a StewardError to refuse the command, as the real device would.
   */
  onCommand?(command: string, patch: State, before: State): State;
  /** runs after every applied change, commanded or self-made */
  afterChange?(changed: State): void;
  /** cancels the behaviour's timers */
  dispose(): void;
}

export type BehaviourFactory = (host: DeviceHost) => Behaviour;

export const MINUTE = 60_000;

export function num(state: State, field: string, fallback = 0): number {
  const v = state[field];
  return typeof v === 'number' ? v : fallback;
}

/** Rounds to one decimal, the resolution thermostats report. */
export function tenth(v: number): number {
  return Math.round(v * 10) / 10;
}
