import type { Logger } from 'pino';
import type { Clock } from './clock.ts';

/**
 * Kinds of hostile or broken input the hub refuses: each is counted (GET /api/health `rejections`) and logged.
 * `mqtt-payload`: a message on a topic the hub reads that does not parse; `mqtt-auth`: a client refused at CONNECT;
 * `mqtt-acl`: a publish or subscription the ACL refuses; `mqtt-packet`: a packet over the size limit or breaking
 * the protocol; `http-request`: an API request refused with a 4xx; `pairing`: a refused pairing message.
 */
export const REJECTION_KINDS = ['mqtt-payload', 'mqtt-auth', 'mqtt-acl', 'mqtt-packet', 'http-request', 'pairing'] as const;
export type RejectionKind = (typeof REJECTION_KINDS)[number];

interface Window {
  suppressed: number;
  lastReason: string;
  timer: unknown;
}

/**
 * Rejections visible but bounded: per (kind, source) the first one is logged with its reason at once; the next ones
 * within `summaryEveryMs` are only counted, and one summary line says how many there were (and the last reason)
 * when the window ends. So a flood of N bad inputs writes at most about 2 lines per source and kind per window,
 * not N. Sources beyond `maxSources` share one window (a flood from many addresses stays bounded too).
 */
export class Rejections {
  private readonly totals = new Map<RejectionKind, number>();
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly opts: { summaryEveryMs?: number; maxSources?: number } = {},
  ) {}

  /** counts one rejection; logs it when it opens a window for its kind and source */
  reject(kind: RejectionKind, source: string, reason: string, context: Record<string, unknown> = {}): void {
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
    w.timer = this.clock.setTimeout(() => this.close(key, kind, source), this.opts.summaryEveryMs ?? 10_000);
    this.windows.set(key, w);
  }

  private close(key: string, kind: RejectionKind, source: string): void {
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

  /** every kind's count since the hub started (kinds never seen are 0) */
  counts(): Record<RejectionKind, number> {
    return Object.fromEntries(REJECTION_KINDS.map((k) => [k, this.totals.get(k) ?? 0])) as Record<RejectionKind, number>;
  }

  /** logs what is pending and stops the timers (the hub stops) */
  flush(): void {
    for (const [key, w] of [...this.windows]) {
      this.clock.clearTimeout(w.timer);
      const [kind, source] = key.split('\u0000') as [RejectionKind, string];
      this.close(key, kind, source);
    }
  }
}
