/**
 * The one place where changes listed under a device's `confirm` wait for the owner's yes, whatever path they came
 * from: a sentence, a scene, the direct device API, the planner, later voice and the dashboard. A record is settled
 * once (confirm runs it, cancel drops it), by `POST /api/confirmations/:id` or by a "yes"/"no" in its conversation,
 * and expires after its TTL. In the hub each record is also kept in SQLite (confirmation-store.ts, given as `records`):
 * a restart restores the pending ones with their own expiry (those that expired meanwhile become `expired`, never
 * run), and a record is marked settled in the database before its actions run, so a yes runs it at most once, also
 * across restarts; a second answer gets the stored reason (409 already confirmed). A yes whose result was never
 * written (the hub crashed in between) is settled at the next start (interrupted.ts). Without `records`, memory only.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import type { DeviceAction, Lang } from '../understanding/contract.ts';
import { ConfirmationSourceSchema, RECOVERED_HOW, type ConfirmationSource, type Settler } from '../core/actions.ts';
import { ActionResultSchema, ConfirmationRefSchema, type ActionResult, type ConfirmationRef } from './contract.ts';
import { systemTimers, type Timers } from './clock.ts';
import { Signal } from '../core/signal.ts';

// the sources and the settler are shared with the audit (core/actions.ts)
export { CONFIRMATION_SOURCES, ConfirmationSourceSchema, type ConfirmationSource, type Settler } from '../core/actions.ts';
export { ConfirmationRefSchema, type ConfirmationRef };

export interface PendingConfirmation {
  id: string;
  actions: DeviceAction[];
  /** what the owner is asked, in the language of the request that made it */
  summary: string;
  lang: Lang;
  createdAt: number;
  expiresAt: number;
  source: ConfirmationSource;
  /** the conversation whose "yes" or "no" also settles it */
  conversationId?: string;
  /** "unlock the door in 5 minutes": confirmed now, run later */
  delayMs?: number;
}

export interface HoldRequest {
  actions: DeviceAction[];
  lang: Lang;
  source: ConfirmationSource;
  conversationId?: string;
  delayMs?: number;
}

/** What the holder of the record does once it is confirmed: the pipeline runs or schedules the actions. */
export type ConfirmedRunner = (record: PendingConfirmation, by?: Settler) => Promise<{ status: 'executed' | 'scheduled'; actions: ActionResult[] }>;

export const DecisionSchema = z.object({ decision: z.enum(['confirm', 'cancel']) }).strict();
export type Decision = z.infer<typeof DecisionSchema>['decision'];


export const ConfirmationInfoSchema = ConfirmationRefSchema.extend({
  source: ConfirmationSourceSchema,
  createdAt: z.string(),
  conversationId: z.string().optional(),
  delayMs: z.number().optional(),
  actions: z.array(z.object({ deviceId: z.string(), command: z.string(), params: z.record(z.string(), z.unknown()) })),
});
export const ConfirmationListSchema = z.object({ confirmations: z.array(ConfirmationInfoSchema) });

export const SettledSchema = z.object({
  confirmationId: z.string(),
  status: z.enum(['executed', 'scheduled', 'cancelled']),
  /** what ran, each with the state the node acknowledged (empty when cancelled or scheduled) */
  actions: z.array(ActionResultSchema),
});
export type Settled = z.infer<typeof SettledSchema>;

/** what a yes did, as kept with its record: also what a start settled after a crash cut the yes short */
export const ConfirmationResultSchema = SettledSchema.extend({
  /** `failed`: only a yes cut short by a crash and too old to run at the next start (each action INTERRUPTED) */
  status: z.enum(['executed', 'scheduled', 'cancelled', 'failed']),
  /** settled at the next start after the hub stopped between the yes and its result (conversation/interrupted.ts) */
  recovered: z.enum(RECOVERED_HOW).optional(),
});
export type ConfirmationResult = z.infer<typeof ConfirmationResultSchema>;

/** GET /api/confirmations/:id: a record, pending or settled, with what its yes did once that is known */
export const ConfirmationStatusSchema = ConfirmationInfoSchema.extend({
  status: z.enum(['pending', 'expired', 'confirmed', 'cancelled', 'superseded']),
  settledAt: z.string().optional(),
  result: ConfirmationResultSchema.optional(),
});
export type ConfirmationStatus = z.infer<typeof ConfirmationStatusSchema>;

/** the direct device API's answer to a change that waits: 202 */
export const AwaitingConfirmationSchema = ConfirmationRefSchema.extend({ status: z.literal('awaiting_confirmation') });

export interface ConfirmationStoreOptions {
  timers?: Timers;
  /** how long a record waits for its answer (default 60 s) */
  ttlMs?: number;
  /** the sentence that asks, in the request's language */
  summarize: (lang: Lang, actions: DeviceAction[]) => string;
  /** how many settled or expired ids are remembered, so a late answer learns why it is refused */
  remember?: number;
  /** how many records may wait at once; a new one beyond that replaces the oldest (a runaway caller cannot fill memory) */
  maxPending?: number;
  /** keeps records across restarts (the hub's SQLite); without it they live in memory only */
  records?: ConfirmationRecords;
}

export const GONE_STATUSES = ['expired', 'confirmed', 'cancelled', 'superseded'] as const;
type Gone = (typeof GONE_STATUSES)[number];

/** Where records are kept across restarts (SQLite in the hub: confirmation-store.ts). Calls are synchronous. */
export interface ConfirmationRecords {
  insert(record: PendingConfirmation): void;
  /** pending → `status`, only from pending; false when the row was no longer pending (then nothing may run) */
  settle(id: string, status: Gone, at: number): boolean;
  /** what the yes did, once it ran */
  result(id: string, settled: ConfirmationResult): void;
  /** every pending record, oldest first */
  pending(): PendingConfirmation[];
  /** how a record that is no longer pending left (or undefined: never seen, or pruned) */
  gone(id: string): Gone | undefined;
  /** one record as kept, whatever its status (undefined: never seen, or pruned) */
  find(id: string): KeptConfirmation | undefined;
  /** records confirmed whose result was never written: the hub stopped between the yes and the run */
  unfinished(): KeptConfirmation[];
}

/** a record as the database keeps it: its status, when it left pending, and what its yes did */
export interface KeptConfirmation {
  record: PendingConfirmation;
  status: 'pending' | Gone;
  settledAt?: number;
  result?: ConfirmationResult;
}

/** a record waits (`pending`) or leaves: said yes to, no to (or replaced by a newer question: `cancelled`), or timed out */
export interface ConfirmationChange {
  action: 'pending' | 'confirmed' | 'cancelled' | 'expired';
  record: PendingConfirmation;
}

export class ConfirmationStore {
  private readonly pending = new Map<string, PendingConfirmation>();
  private readonly gone = new Map<string, Gone>();
  /** each pending record's expiry timer: its `expired` change is told when it happens, not at the next look */
  private readonly expiry = new Map<string, unknown>();
  private readonly timers: Timers;
  readonly ttlMs: number;
  private runner: ConfirmedRunner | undefined;
  /** every record that starts or stops waiting (the dashboard's event stream) */
  readonly changed = new Signal<ConfirmationChange>();

  constructor(private readonly opts: ConfirmationStoreOptions) {
    this.timers = opts.timers ?? systemTimers;
    this.ttlMs = opts.ttlMs ?? 60_000;
  }

  /** The pipeline installs how confirmed actions run (it owns execution, schedules and the audit hook). */
  setRunner(runner: ConfirmedRunner): void {
    this.runner = runner;
  }

  hold(req: HoldRequest): PendingConfirmation {
    this.sweep();
    const now = this.timers.now();
    const record: PendingConfirmation = {
      id: randomUUID(),
      actions: req.actions,
      summary: this.opts.summarize(req.lang, req.actions),
      lang: req.lang,
      createdAt: now,
      expiresAt: now + this.ttlMs,
      source: req.source,
      ...(req.conversationId !== undefined ? { conversationId: req.conversationId } : {}),
      ...(req.delayMs ? { delayMs: req.delayMs } : {}),
    };
    // committed before anyone is asked: an acknowledged question survives a restart
    this.opts.records?.insert(record);
    this.pending.set(record.id, record);
    this.armExpiry(record.id, this.ttlMs);
    this.changed.emit({ action: 'pending', record });
    for (const oldest of this.pending.keys()) {
      if (this.pending.size <= (this.opts.maxPending ?? 256)) break;
      this.retire(oldest, 'superseded');
    }
    return record;
  }

  /**
   * Takes back the records kept before a restart: pending ones wait again until their own expiry; those whose
   * expiry passed while the hub was down become `expired` (never run). Returns the records waiting again.
   */
  restore(): PendingConfirmation[] {
    const records = this.opts.records;
    if (!records) return [];
    const now = this.timers.now();
    const restored: PendingConfirmation[] = [];
    for (const record of records.pending()) {
      if (this.pending.has(record.id)) continue;
      if (record.expiresAt <= now) {
        records.settle(record.id, 'expired', now);
        this.gone.set(record.id, 'expired');
        continue;
      }
      this.pending.set(record.id, record);
      this.armExpiry(record.id, record.expiresAt - now);
      restored.push(record);
    }
    return restored;
  }

  /** pending records, oldest first */
  list(): PendingConfirmation[] {
    this.sweep();
    return [...this.pending.values()];
  }

  /** the record if it is still pending; otherwise why not (unknown, expired or already settled) */
  lookup(id: string): { record: PendingConfirmation } | { gone: Gone | 'unknown' } {
    this.sweep();
    const record = this.pending.get(id);
    if (record) return { record };
    return { gone: this.gone.get(id) ?? this.opts.records?.gone(id) ?? 'unknown' };
  }

  /** Settles a record: confirm runs it (through the runner), cancel drops it. Throws NOT_FOUND, EXPIRED or CONFLICT. */
  async settle(id: string, decision: Decision, by?: Settler): Promise<Settled> {
    const found = this.lookup(id);
    if ('gone' in found) throw goneError(id, found.gone);
    // taken out (and marked settled in the database) before anything is awaited or run: a second answer to the
    // same record finds it settled, also after a restart; a crash while it runs leaves it confirmed without a
    // result, which the next start settles once (conversation/interrupted.ts), never by a second answer
    if (!this.retire(id, decision === 'confirm' ? 'confirmed' : 'cancelled')) throw goneError(id, this.opts.records?.gone(id) ?? 'unknown');
    if (decision === 'cancel') return { confirmationId: id, status: 'cancelled', actions: [] };
    if (!this.runner) throw new StewardError('INTERNAL', 'no runner for confirmed actions');
    const { status, actions } = await this.runner(found.record, by);
    const settled: Settled = { confirmationId: id, status, actions };
    this.opts.records?.result(id, settled);
    return settled;
  }

  /** one record, pending or settled (GET /api/confirmations/:id); undefined when unknown or pruned */
  describe(id: string): ConfirmationStatus | undefined {
    this.sweep();
    const pending = this.pending.get(id);
    if (pending) return { ...confirmationInfo(pending), status: 'pending' };
    const kept = this.opts.records?.find(id);
    if (!kept) return undefined;
    return {
      ...confirmationInfo(kept.record),
      status: kept.status,
      ...(kept.settledAt !== undefined ? { settledAt: new Date(kept.settledAt).toISOString() } : {}),
      ...(kept.result ? { result: kept.result } : {}),
    };
  }

  /** confirmed records whose run was cut short (the hub stopped between the yes and its result) */
  unfinished(): KeptConfirmation[] {
    return this.opts.records?.unfinished() ?? [];
  }

  /** what a yes cut short by a crash came to, settled at the next start (conversation/interrupted.ts) */
  recordResult(settled: ConfirmationResult): void {
    this.opts.records?.result(settled.confirmationId, settled);
  }

  /** a newer request of the same conversation replaces an older one ("yes" answers the latest question) */
  supersede(id: string): void {
    if (this.pending.has(id)) this.retire(id, 'superseded');
  }

  /**
   * Forgets every record in memory (the hub stopping: kept ones wait for the next start). `discard`: also settles
   * the kept pending ones as cancelled, so a restart does not bring them back (reset for benchmarks and tests).
   */
  clear(discard = false): void {
    if (discard) for (const id of this.pending.keys()) this.opts.records?.settle(id, 'cancelled', this.timers.now());
    for (const t of this.expiry.values()) this.timers.clearTimeout(t);
    this.expiry.clear();
    this.pending.clear();
    this.gone.clear();
  }

  /** false when the kept record had already left pending (then it must not run) */
  private retire(id: string, why: Gone): boolean {
    const record = this.pending.get(id);
    const kept = this.opts.records ? this.opts.records.settle(id, why, this.timers.now()) : true;
    this.pending.delete(id);
    const timer = this.expiry.get(id);
    if (timer !== undefined) this.timers.clearTimeout(timer);
    this.expiry.delete(id);
    this.gone.set(id, why);
    if (record) this.changed.emit({ action: why === 'superseded' ? 'cancelled' : why, record });
    const limit = this.opts.remember ?? 1000;
    for (const key of this.gone.keys()) {
      if (this.gone.size <= limit) break;
      this.gone.delete(key);
    }
    return kept;
  }

  /**
   * Expires the record when its time is up. A timer may fire a millisecond before the wall clock reaches
   * `expiresAt` (timers run on a monotonic clock): then the record is not due yet and the timer is set again for
   * what is left, or `expired` would wait for the next look.
   */
  private armExpiry(id: string, ms: number): void {
    this.expiry.set(
      id,
      this.timers.setTimeout(() => {
        this.expiry.delete(id);
        this.sweep();
        const left = this.pending.get(id);
        if (left) this.armExpiry(id, Math.max(1, left.expiresAt - this.timers.now()));
      }, ms),
    );
  }

  private sweep(): void {
    const now = this.timers.now();
    for (const [id, r] of this.pending) if (r.expiresAt <= now) this.retire(id, 'expired');
  }
}

function goneError(id: string, why: Gone | 'unknown'): StewardError {
  switch (why) {
    case 'unknown':
      return new StewardError('NOT_FOUND', `no pending confirmation ${id}`);
    case 'expired':
      return new StewardError('EXPIRED', `confirmation ${id} expired; ask again`);
    case 'superseded':
      return new StewardError('CONFLICT', `confirmation ${id} was replaced by a newer request`);
    default:
      return new StewardError('CONFLICT', `confirmation ${id} was already ${why}`);
  }
}

/** A record as clients see it: `confirmation` of POST /api/command, the 202 of the device API, GET /api/confirmations. */
export function confirmationRef(r: PendingConfirmation): ConfirmationRef {
  return { confirmationId: r.id, expiresAt: new Date(r.expiresAt).toISOString(), summary: r.summary };
}

export function confirmationInfo(r: PendingConfirmation): z.infer<typeof ConfirmationInfoSchema> {
  return {
    ...confirmationRef(r),
    source: r.source,
    createdAt: new Date(r.createdAt).toISOString(),
    ...(r.conversationId !== undefined ? { conversationId: r.conversationId } : {}),
    ...(r.delayMs ? { delayMs: r.delayMs } : {}),
    actions: r.actions.map((a) => ({ deviceId: a.deviceId, command: a.command, params: a.params })),
  };
}
