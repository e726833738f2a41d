/**
 * At most `max` events per `windowMs` per key (a source address), as a sliding log. Keys are bounded so a flood
 * of spoofed sources cannot grow memory without end; the oldest key is forgotten first.
 */
export class SlidingWindowLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 4096,
  ) {}

  /** Records an event for `key`; false (and nothing recorded) when the key is over its limit. */
  take(key: string): boolean {
    const now = this.now();
    const recent = (this.log.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.log.set(key, recent);
      return false;
    }
    recent.push(now);
    this.log.delete(key);
    this.log.set(key, recent);
    if (this.log.size > this.maxKeys) this.log.delete(this.log.keys().next().value!);
    return true;
  }

  /**
   * Gives back the `count` newest events of `key`: a request that ended well (a node paired) is no guess, so an
   * owner pairing many devices in a row is never refused; failed and abandoned attempts stay counted.
   */
  forgive(key: string, count: number): void {
    const events = this.log.get(key);
    if (!events) return;
    events.splice(Math.max(0, events.length - count), count);
    if (events.length === 0) this.log.delete(key);
  }

  /** ms until `key` may try again (0 when it may now) */
  retryAfterMs(key: string): number {
    const now = this.now();
    const recent = (this.log.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length < this.max) return 0;
    return recent[0]! + this.windowMs - now;
  }
}
