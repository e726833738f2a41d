/**
 * A pending confirmation is told `expired` when its time is up, even when its timer fires a moment before the wall
 * clock reaches the expiry (Node's timers run on a monotonic clock, Date.now() may read a millisecond behind). CI saw
 * the dashboard's stream wait for an `expired` that only came at the next look.
 */
import { describe, expect, it } from 'vitest';
import { ConfirmationStore } from '@steward/hub/conversation/confirmations.ts';
import type { Clock } from '@steward/hub/core/clock.ts';

/** a clock whose timers fire 1 ms before now() reaches their due time, as the system's can */
class EarlyClock implements Clock {
  current = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.push({ at: this.current + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** fires the next timer with now() at its due time minus 1 ms; returns the due time */
  fireNextEarly(): number {
    this.timers.sort((a, b) => a.at - b.at);
    const t = this.timers.shift()!;
    this.current = Math.max(this.current, t.at - 1);
    t.fn();
    return t.at;
  }
  get waiting(): number {
    return this.timers.length;
  }
}

describe('confirmation expiry', () => {
  it('a timer that fires before the expiry time sets itself again, and the record expires on time', () => {
    const clock = new EarlyClock();
    const store = new ConfirmationStore({ timers: clock, ttlMs: 5000, summarize: () => 'Unlock the front door?' });
    const told: string[] = [];
    store.changed.on((c) => told.push(`${c.action} ${c.record.id}`));
    const record = store.hold({ actions: [{ deviceId: 'front_door', command: 'unlock', params: {} }], lang: 'en', source: 'api' });
    expect(told).toEqual([`pending ${record.id}`]);
    // first firing: now() reads 4999, one short of the expiry: still pending, and a timer waits for the rest
    expect(clock.fireNextEarly()).toBe(5000);
    expect(told).toEqual([`pending ${record.id}`]);
    expect(clock.waiting).toBe(1);
    // the re-armed timer (1 ms) fires at 5000 even early, since it cannot run before the time it was set at
    clock.current = 5000;
    clock.fireNextEarly();
    expect(told).toEqual([`pending ${record.id}`, `expired ${record.id}`]);
    expect(clock.waiting).toBe(0);
  });
});
