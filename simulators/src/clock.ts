/**
 * Time for simulated devices. Behaviours only ever ask a Clock, so the same code runs at real speed in an agent,
 * faster in a demo (`timeScale`), and step by step in a test (`ManualClock.advance`).
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** simulated milliseconds since the epoch */
  now(): number;
  /** runs `fn` once after `ms` of simulated time */
  setTimeout(fn: () => void, ms: number): Timer;
  /** runs `fn` every `ms` of simulated time until cancelled */
  every(ms: number, fn: () => void): Timer;
}

/** Wall-clock time, optionally sped up: with timeScale 60 a simulated minute passes in one real second. */
export class RealClock implements Clock {
  readonly timeScale: number;
  private readonly realStart = Date.now();

  constructor(timeScale = 1) {
    if (!Number.isFinite(timeScale) || timeScale <= 0) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
    this.timeScale = timeScale;
  }

  now(): number {
    return this.realStart + (Date.now() - this.realStart) * this.timeScale;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    // unref: a device's own timers never keep a process alive on their own
    const t = setTimeout(fn, Math.max(0, ms / this.timeScale)).unref();
    return { cancel: () => clearTimeout(t) };
  }

  every(ms: number, fn: () => void): Timer {
    const t = setInterval(fn, Math.max(1, ms / this.timeScale)).unref();
    return { cancel: () => clearInterval(t) };
  }
}

interface Scheduled {
  due: number;
  seq: number;
  fn: () => void;
  /** repeat period for `every`, undefined for a one-shot timer */
  period?: number;
  cancelled: boolean;
}

/** Time that moves only when a test says so. `advance` fires every due timer in time order, then stops. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: Scheduled[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule({ due: this.current + Math.max(0, ms), fn });
  }

  every(ms: number, fn: () => void): Timer {
    if (!(ms > 0)) throw new RangeError(`every() needs a positive period, got ${ms}`);
    return this.schedule({ due: this.current + ms, fn, period: ms });
  }

  /** timers still waiting to fire */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const next = this.nextDue(until);
      if (!next) break;
      this.current = next.due;
      if (next.period !== undefined) next.due += next.period;
      else next.cancelled = true;
      next.fn();
      this.timers = this.timers.filter((t) => !t.cancelled);
    }
    this.current = until;
  }

  private nextDue(until: number): Scheduled | undefined {
    let best: Scheduled | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.due > until) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }

  private schedule(s: Omit<Scheduled, 'seq' | 'cancelled'>): Timer {
    const entry: Scheduled = { ...s, seq: this.seq++, cancelled: false };
    this.timers.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }
}
