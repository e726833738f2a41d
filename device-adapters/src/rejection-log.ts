/** what a rejection log writes to (pino's `warn` fits) */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/** the timers a rejection log's windows run on (the hub's Clock fits; default: the process's own) */
export interface WindowTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const processTimers: WindowTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Window {
  suppressed: number;
  lastReason: string;
  timer: unknown;
}

/**
 * Rejections visible but bounded, for the hub and the agents alike: each refused input is counted by kind; per
 * (kind, source) the first one is logged with its reason at once; the next ones within `summaryEveryMs` are only
 * counted, and one summary line says how many there were (and the last reason) when the window ends. So a flood of
 * N bad inputs writes at most about 2 lines per source and kind per window, not N. Sources beyond `maxSources`
 * share one window (a flood from many sources stays bounded too).
 */
export class RejectionLog<K extends string> {
  private readonly totals = new Map<K, number>();
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly kinds: readonly K[],
    private readonly log: WarnLogger,
    private readonly timers: WindowTimers = processTimers,
    private readonly opts: { summaryEveryMs?: number; maxSources?: number } = {},
  ) {}

  /** counts one rejection; logs it when it opens a window for its kind and source */
  reject(kind: K, source: string, reason: string, context: Record<string, unknown> = {}): void {
    this.totals.set(kind, (this.totals.get(kind) ?? 0) + 1);
    let key = `${kind}\u0000${source}`;
    if (!this.windows.has(key) && this.windows.size >= (this.opts.maxSources ?? 1000)) {
      source = '(other sources)';
      key = `${kind}\u0000${source}`;
    }
    const open = this.windows.get(key);
    if (open) {
      open.suppressed++;
      open.lastReason = reason;
      return;
    }
    this.log.warn({ ...context, rejection: kind, source }, `rejected: ${reason.slice(0, 500)}`);
    const w: Window = { suppressed: 0, lastReason: reason, timer: undefined };
    w.timer = this.timers.setTimeout(() => this.close(key, kind, source), this.opts.summaryEveryMs ?? 10_000);
    this.windows.set(key, w);
  }

  private close(key: string, kind: K, source: string): void {
    const w = this.windows.get(key);
    if (!w) return;
    this.windows.delete(key);
    if (w.suppressed > 0) {
      this.log.warn(
        { rejection: kind, source, count: w.suppressed, windowMs: this.opts.summaryEveryMs ?? 10_000 },
        `rejected ${w.suppressed} more (${kind} from ${source}); last: ${w.lastReason.slice(0, 500)}`,
      );
    }
  }

  /** every kind's count since the start (kinds never seen are 0) */
  counts(): Record<K, number> {
    return Object.fromEntries(this.kinds.map((k) => [k, this.totals.get(k) ?? 0])) as Record<K, number>;
  }

  /** logs what is pending and stops the timers (the process stops) */
  flush(): void {
    for (const [key, w] of [...this.windows]) {
      this.timers.clearTimeout(w.timer);
      const [kind, source] = key.split('\u0000') as [K, string];
      this.close(key, kind, source);
    }
  }
}
