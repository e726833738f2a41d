/** Time as the conversation layer sees it: the hub's one clock (core/clock.ts), under its older name. */
import { systemClock, type Clock } from '../core/clock.ts';

export type Timers = Clock;
export const systemTimers: Timers = systemClock;
