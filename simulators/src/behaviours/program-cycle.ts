import type { State } from '@steward/device-adapters';
import { MINUTE, num, type BehaviourFactory } from './behaviour.ts';
import type { Timer } from '../clock.ts';

/** Program durations in minutes, as typical appliances of each type run them. */
export const PROGRAM_MINUTES: Record<string, Record<string, number>> = {
  washer: { cotton: 120, quick: 30, wool: 45, synthetics: 90, drum_clean: 90 },
  dishwasher: { eco: 180, quick: 30, intensive: 130 },
};
const UNKNOWN_PROGRAM_MINUTES = 60;

export function programMinutes(type: string, program: string): number {
  return PROGRAM_MINUTES[type]?.[program] ?? UNKNOWN_PROGRAM_MINUTES;
}

/**
 * Washers and dishwashers. Starting a program sets remainingMin to its duration (resuming a paused one keeps what
 * was left), the device counts down once a minute while running and stops by itself at 0. Pausing keeps
 * remainingMin; cancelling, or choosing another program, drops the cycle.
 */
export const programCycle: BehaviourFactory = (host) => {
  let countdown: Timer | undefined;

  const stopCountdown = () => {
    countdown?.cancel();
    countdown = undefined;
  };
  const startCountdown = () => {
    if (countdown) return;
    countdown = host.clock.every(MINUTE, () => {
      const left = num(host.state(), 'remainingMin') - 1;
      if (left <= 0) {
        stopCountdown();
        host.apply({ remainingMin: 0, running: false });
      } else host.apply({ remainingMin: left });
    });
  };

  // a home file may start a device mid-cycle
  if (host.state().running === true) startCountdown();

  return {
    onCommand(command: string, patch: State, before: State): State {
      const left = num(before, 'remainingMin');
      const program = String(patch.program ?? before.program);
      switch (command) {
        case 'startProgram': {
          const resuming = before.running !== true && left > 0 && program === before.program;
          const running = before.running === true;
          return resuming || running ? patch : { ...patch, remainingMin: programMinutes(host.descriptor.type, program) };
        }
        case 'cancelProgram':
          return { ...patch, remainingMin: 0 };
        case 'selectProgram':
          return program !== before.program ? { ...patch, remainingMin: 0 } : patch;
        default:
          return patch;
      }
    },
    afterChange(changed: State): void {
      if (!('running' in changed)) return;
      if (changed.running === true) startCountdown();
      else stopCountdown();
    },
    dispose: stopCountdown,
  };
};
