/**
 * Scheduled commands ("turn off the lights in 1 minute"). Each is written to its store before the user hears "OK",
 * so a hub that restarts finds it again: one still due is armed, one that fell due while the hub was down runs if it
 * is within the grace period and is otherwise marked `missed` (logged, listed by GET /api/schedules), never dropped.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ConfirmationSourceSchema } from '../core/actions.ts';
import type { DeviceAction } from '../understanding/contract.ts';
import { ActionResultSchema, type ActionResult } from './contract.ts';
import type { Timers } from './clock.ts';

export const DeviceActionSchema = z.object({ deviceId: z.string(), command: z.string(), params: z.record(z.string(), z.unknown()) });

/** pending → done (every action acknowledged) | failed (some did not) | missed (due too long ago) | cancelled */
export const ScheduleStatusSchema = z.enum(['pending', 'done', 'failed', 'missed', 'cancelled']);
export type ScheduleStatus = z.infer<typeof ScheduleStatusSchema>;

export const ScheduleRecordSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  actions: z.array(DeviceActionSchema),
  /** the owner confirmed these before they were scheduled (the audit log records them as sensitive) */
  confirmed: z.boolean(),
  /** for the audit log when it runs: where a confirmed change came from, and who said yes outside a conversation */
  context: z.object({
    source: ConfirmationSourceSchema.optional(),
    by: z.object({ actor: z.string(), address: z.string().optional() }).optional(),
    /** the confirmation whose yes scheduled it (so a start after a crash knows the schedule was written) */
    confirmationId: z.string().optional(),
  }),
  /** epoch ms */
  createdAt: z.number(),
  dueAt: z.number(),
  status: ScheduleStatusSchema,
  finishedAt: z.number().nullable(),
  /** what each action did, once run */
  results: z.array(ActionResultSchema).nullable(),
});
export type ScheduleRecord = z.infer<typeof ScheduleRecordSchema>;

/** Where schedules live: SQLite in the hub (store/schedule-store.ts), memory for a pipeline built on its own. */
export interface ScheduleStore {
  insert(record: ScheduleRecord): void;
  finish(id: string, status: Exclude<ScheduleStatus, 'pending'>, finishedAt: number, results: ActionResult[] | null): void;
  /** every pending schedule, soonest first */
  pending(): ScheduleRecord[];
  /** pending ones first (soonest first), then the most recently finished, at most `limit` */
  list(limit: number): ScheduleRecord[];
}

export class MemoryScheduleStore implements ScheduleStore {
  private readonly records = new Map<string, ScheduleRecord>();

  insert(record: ScheduleRecord): void {
    this.records.set(record.id, { ...record });
  }

  finish(id: string, status: Exclude<ScheduleStatus, 'pending'>, finishedAt: number, results: ActionResult[] | null): void {
    const r = this.records.get(id);
    if (r) this.records.set(id, { ...r, status, finishedAt, results });
  }

  pending(): ScheduleRecord[] {
    return [...this.records.values()].filter((r) => r.status === 'pending').sort((a, b) => a.dueAt - b.dueAt);
  }

  list(limit: number): ScheduleRecord[] {
    const done = [...this.records.values()].filter((r) => r.status !== 'pending').sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    return [...this.pending(), ...done].slice(0, limit);
  }
}

export interface SchedulerOptions {
  store: ScheduleStore;
  timers: Timers;
  /**
   * a schedule found overdue at start (it fell due while the hub was down) still runs when at most this late, and is
   * otherwise missed; while the hub runs, a due schedule waits at most this long for an offline node to come back
   */
  graceMs: number;
  /** runs the actions (the pipeline's executor: gateway + audit) */
  run: (actions: DeviceAction[], record: ScheduleRecord) => Promise<ActionResult[]>;
  /**
   * resolves when the devices' nodes are online, or when `timeoutMs` has passed: after a restart a schedule due now
   * waits for its nodes to reconnect, within the grace period, instead of failing with NODE_OFFLINE at once
   */
  whenReachable?: (deviceIds: readonly string[], timeoutMs: number) => Promise<void>;
  logger: Logger;
}

export interface RestoreReport {
  /** still in the future: armed */
  armed: number;
  /** overdue within the grace period: running now */
  late: number;
  /** overdue beyond it: marked missed */
  missed: number;
}

/** setTimeout's limit (about 24.8 days): a longer delay is re-armed when it fires early */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Scheduler {
  private readonly timers = new Map<string, unknown>();
  private closed = false;

  constructor(private readonly opts: SchedulerOptions) {}

  /** Stores the schedule (before the caller replies "OK") and arms its timer. */
  add(actions: DeviceAction[], delayMs: number, conversationId: string, confirmed: boolean, context: ScheduleRecord['context'] = {}): ScheduleRecord {
    const now = this.opts.timers.now();
    const record: ScheduleRecord = {
      id: randomUUID(),
      conversationId,
      actions,
      confirmed,
      context,
      createdAt: now,
      dueAt: now + delayMs,
      status: 'pending',
      finishedAt: null,
      results: null,
    };
    this.opts.store.insert(record);
    this.opts.logger.info({ scheduleId: record.id, conversationId, dueAt: new Date(record.dueAt).toISOString(), actions }, 'command scheduled');
    this.arm(record);
    return record;
  }

  /** At start: the pending schedules the store kept from before. */
  restore(): RestoreReport {
    const report: RestoreReport = { armed: 0, late: 0, missed: 0 };
    const now = this.opts.timers.now();
    for (const r of this.opts.store.pending()) {
      if (this.timers.has(r.id)) continue;
      if (r.dueAt > now) {
        report.armed++;
        this.arm(r);
      } else if (now - r.dueAt <= this.opts.graceMs) {
        report.late++;
        void this.fire(r);
      } else {
        report.missed++;
        this.miss(r, now - r.dueAt);
      }
    }
    if (report.armed + report.late + report.missed > 0) this.opts.logger.info({ ...report, graceMs: this.opts.graceMs }, 'schedules restored');
    return report;
  }

  list(limit = 100): ScheduleRecord[] {
    return this.opts.store.list(limit);
  }

  /** how many schedules have a timer armed */
  get armed(): number {
    return this.timers.size;
  }

  /** Drops every pending schedule: they are recorded as cancelled. */
  cancelAll(): void {
    const now = this.opts.timers.now();
    for (const [id, handle] of this.timers) {
      this.opts.timers.clearTimeout(handle);
      this.opts.store.finish(id, 'cancelled', now, null);
    }
    this.timers.clear();
  }

  /** Stops the timers; pending schedules stay pending in the store for the next start. */
  close(): void {
    this.closed = true;
    for (const handle of this.timers.values()) this.opts.timers.clearTimeout(handle);
    this.timers.clear();
  }

  private arm(record: ScheduleRecord): void {
    const wait = Math.max(0, Math.min(record.dueAt - this.opts.timers.now(), MAX_TIMER_MS));
    const handle = this.opts.timers.setTimeout(() => {
      this.timers.delete(record.id);
      if (this.opts.timers.now() < record.dueAt) return this.arm(record);
      void this.fire(record);
    }, wait);
    this.timers.set(record.id, handle);
  }

  /** fell due while the hub was down, longer ago than the grace period: recorded and logged, not run */
  private miss(record: ScheduleRecord, lateMs: number): void {
    this.finish(record, 'missed', null);
    this.opts.logger.warn(
      { scheduleId: record.id, conversationId: record.conversationId, dueAt: new Date(record.dueAt).toISOString(), lateMs, graceMs: this.opts.graceMs, actions: record.actions },
      'scheduled command missed: it fell due while the hub was down, beyond the grace period',
    );
  }

  /** runs a due schedule (a timer of this run, or one found overdue within the grace period at start) */
  private async fire(record: ScheduleRecord): Promise<void> {
    const { logger, graceMs, timers } = this.opts;
    const log = logger.child({ scheduleId: record.id, conversationId: record.conversationId });
    const lateMs = timers.now() - record.dueAt;
    try {
      const deviceIds = [...new Set(record.actions.map((a) => a.deviceId))];
      await this.opts.whenReachable?.(deviceIds, Math.max(0, record.dueAt + graceMs - timers.now())).catch(() => undefined);
      if (this.closed) return; // the hub is stopping: it stays pending for the next start
      const results = await this.opts.run(record.actions, record);
      const ok = results.every((r) => r.ok);
      this.finish(record, ok ? 'done' : 'failed', results);
      log.info({ lateMs: Math.max(0, lateMs), results: results.map((r) => ({ deviceId: r.deviceId, ok: r.ok, ...(r.error ? { code: r.error.code } : {}) })) }, ok ? 'scheduled actions ran' : 'scheduled actions failed');
    } catch (err) {
      log.error({ err }, 'scheduled actions failed');
      this.finish(record, 'failed', null);
    }
  }

  private finish(record: ScheduleRecord, status: Exclude<ScheduleStatus, 'pending'>, results: ActionResult[] | null): void {
    try {
      this.opts.store.finish(record.id, status, this.opts.timers.now(), results);
    } catch (err) {
      // the database closed under a run in flight (hub stopping): the schedule stays pending for the next start
      this.opts.logger.warn({ err, scheduleId: record.id, status }, 'could not record how a schedule ended');
    }
  }
}
