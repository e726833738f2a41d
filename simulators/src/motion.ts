import { DEVICE_TYPES, deviceTypeSpec, type DeviceTypeSpec } from '@steward/device-adapters';
import type { Clock, Timer } from './clock.ts';

/**
 * Full travel time (from one end of the range to the other) of each gradual field: declared per device type
 * (`DeviceTypeSpec.travelMs`: a curtain track about 20 s, a car window about 4 s), else this.
 */
const DEFAULT_TRAVEL_MS = 10_000;
/** the travel times the device types declare, per type and field */
export const TRAVEL_MS: Record<string, Readonly<Record<string, number>>> = Object.fromEntries(
  Object.entries(DEVICE_TYPES as Record<string, DeviceTypeSpec>).flatMap(([type, spec]) => (spec.travelMs ? [[type, spec.travelMs]] : [])),
);
/** how often a moving field reports where it is */
export const MOTION_STEP_MS = 250;

export function travelMs(type: string, field: string): number {
  return deviceTypeSpec(type)?.travelMs?.[field] ?? DEFAULT_TRAVEL_MS;
}

interface Move {
  at: number;
  to: number;
  timer: Timer;
}

/**
 * Moves numeric fields toward their targets at a constant speed. `report` gets the field's whole-number position
 * whenever it changes, with `reached` once it arrives.
 */
export class Motion {
  private readonly moves = new Map<string, Move>();

  constructor(
    private readonly clock: Clock,
    private readonly report: (field: string, value: number, reached: boolean) => void,
  ) {}

  isMoving(field: string): boolean {
    return this.moves.has(field);
  }

  /** starts (or redirects) a move; `unitsPerMs` is the speed */
  moveTo(field: string, from: number, to: number, unitsPerMs: number): void {
    const existing = this.moves.get(field);
    const at = existing?.at ?? from;
    existing?.timer.cancel();
    const step = unitsPerMs * MOTION_STEP_MS;
    const move: Move = {
      at,
      to,
      timer: this.clock.every(MOTION_STEP_MS, () => {
        const before = Math.round(move.at);
        move.at = move.at < move.to ? Math.min(move.to, move.at + step) : Math.max(move.to, move.at - step);
        const reached = move.at === move.to;
        if (reached) this.cancel(field);
        if (reached || Math.round(move.at) !== before) this.report(field, Math.round(move.at), reached);
      }),
    };
    this.moves.set(field, move);
  }

  /** stops a field where it is; returns its whole-number position, or undefined when it was not moving */
  stop(field: string): number | undefined {
    const move = this.moves.get(field);
    if (!move) return undefined;
    this.cancel(field);
    return Math.round(move.at);
  }

  stopAll(): void {
    for (const field of [...this.moves.keys()]) this.cancel(field);
  }

  private cancel(field: string): void {
    this.moves.get(field)?.timer.cancel();
    this.moves.delete(field);
  }
}
