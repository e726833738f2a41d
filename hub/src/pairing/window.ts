import { randomBytes, randomUUID } from 'node:crypto';
import { SRP } from 'fast-srp-hap';
import { SRP_IDENTITY } from '@steward/device-adapters/protocol/pairing.ts';
import { generateCode } from './code.ts';
import type { Clock } from '../core/clock.ts';

export type CloseReason = 'used' | 'expired' | 'too_many_failures' | 'closed_by_owner' | 'replaced' | 'stopped';

export interface OpenWindow {
  id: string;
  code: string;
  openedAt: number;
  expiresAt: number;
  failures: number;
  /** SRP-6a verifier of the code, computed once per window */
  srp: { salt: Buffer; verifier: Buffer };
}

export interface WindowStatus {
  open: boolean;
  expiresAt?: string;
  failures: number;
  maxFailures: number;
  lastClosed?: { reason: CloseReason; at: string };
}

/**
 * The pairing window: at most one open at a time, one code, closed by use, expiry, too many failures or the owner.
 * Expiry is checked on every read against the clock (tests pass their own), and a timer closes it on time too so
 * the mDNS hint changes without a request.
 */
export class PairingWindow {
  private current: OpenWindow | undefined;
  private lastClosed: { reason: CloseReason; at: number } | undefined;
  private timer: unknown;
  private readonly listeners = new Set<(open: boolean, reason?: CloseReason) => void>();

  constructor(
    private readonly opts: { codeDigits: number; maxFailures: number; clock: Clock; onClose: (w: OpenWindow, reason: CloseReason) => void },
  ) {}

  open(windowMs: number): OpenWindow {
    if (this.active()) this.close('replaced');
    const code = generateCode(this.opts.codeDigits);
    const salt = randomBytes(16);
    const verifier = SRP.computeVerifier(SRP.params.hap, salt, Buffer.from(SRP_IDENTITY), Buffer.from(code));
    const now = this.opts.clock.now();
    const w: OpenWindow = { id: randomUUID(), code, openedAt: now, expiresAt: now + windowMs, failures: 0, srp: { salt, verifier } };
    this.current = w;
    this.timer = this.opts.clock.setTimeout(() => this.active(), windowMs + 5);
    this.emit(true);
    return w;
  }

  /** the open window, or undefined (closing an expired one on the way) */
  active(): OpenWindow | undefined {
    const w = this.current;
    if (w && this.opts.clock.now() >= w.expiresAt) this.close('expired');
    return this.current;
  }

  /** counts a wrong proof; true when this closed the window */
  fail(w: OpenWindow): boolean {
    if (this.current !== w) return false;
    w.failures++;
    if (w.failures >= this.opts.maxFailures) {
      this.close('too_many_failures');
      return true;
    }
    return false;
  }

  close(reason: CloseReason): void {
    const w = this.current;
    if (!w) return;
    this.current = undefined;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.lastClosed = { reason, at: this.opts.clock.now() };
    this.opts.onClose(w, reason);
    this.emit(false, reason);
  }

  status(): WindowStatus {
    const w = this.active();
    return {
      open: w !== undefined,
      ...(w ? { expiresAt: new Date(w.expiresAt).toISOString() } : {}),
      failures: w?.failures ?? 0,
      maxFailures: this.opts.maxFailures,
      ...(this.lastClosed ? { lastClosed: { reason: this.lastClosed.reason, at: new Date(this.lastClosed.at).toISOString() } } : {}),
    };
  }

  /** open/closed changes (for the mDNS `pair` hint) */
  onChange(listener: (open: boolean, reason?: CloseReason) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(open: boolean, reason?: CloseReason): void {
    for (const l of this.listeners) {
      try {
        l(open, reason);
      } catch {
        // a listener's failure must not keep a window open or closed
      }
    }
  }
}
