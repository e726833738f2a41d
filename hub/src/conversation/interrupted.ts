/**
 * A yes cut short by a crash. A confirmation is marked `confirmed` in SQLite before its actions run (so a yes runs
 * at most once, also across restarts) and what ran is written after; a hub killed in between leaves a confirmed
 * record without a result. At the next start each such record is settled once, here:
 *
 * - the devices (as their nodes report them now) already hold what the actions would make: done, nothing is sent
 *   (the hub crashed after the node acted, before it wrote the result);
 * - otherwise, when the yes is recent (younger than the confirmation's own lifetime, the time the owner had to
 *   answer): it runs now, and its result is written;
 * - otherwise: not run; each action is recorded as failed with the stable code INTERRUPTED.
 *
 * A delayed change ("unlock the door in 5 minutes") whose schedule was written is left to its schedule; if the crash
 * came before, it is scheduled again for its original time when the yes is recent or that time is still ahead.
 * Every outcome goes to the `executed` hook (the audit log of sensitive commands) and to the record
 * (GET /api/confirmations/:id). Nothing but confirmed records is ever run.
 */
import type { Logger } from 'pino';
import { commandEffect, type State, type Value } from '@steward/device-adapters';
import type { ActionResult, RecoveredHow } from '../core/actions.ts';
import type { DeviceAction, HomeView } from '../understanding/contract.ts';
import type { ConfirmationResult as Settled, KeptConfirmation, PendingConfirmation } from './confirmations.ts';

export interface InterruptedDeps {
  view: HomeView;
  now(): number;
  /** the devices' state as their nodes report it now, after waiting (bounded) for them; missing: not known */
  readStates(deviceIds: readonly string[]): Promise<Map<string, State>>;
  /** runs the confirmed actions now through the pipeline (gateway, `executed` hook with `recovered: 'rerun'`) */
  run(record: PendingConfirmation): Promise<ActionResult[]>;
  /** whether the schedule of a delayed record was written before the crash */
  hasSchedule(confirmationId: string): boolean;
  /** schedules the record's actions `delayMs` from now (confirmed; the audit records them when they run) */
  schedule(record: PendingConfirmation, delayMs: number): void;
  /** tells the `executed` hook of a result that did not come from running (already done, interrupted) */
  report(record: PendingConfirmation, result: ActionResult, how: RecoveredHow): void;
  /** writes the record's result */
  write(settled: Settled): void;
  /** the hub is stopping: leave the rest for the next start */
  closed(): boolean;
  logger: Logger;
}

/** Settles each confirmed record without a result, oldest yes first; returns what was written. */
export async function settleInterrupted(unfinished: readonly KeptConfirmation[], deps: InterruptedDeps): Promise<Settled[]> {
  const out: Settled[] = [];
  for (const kept of unfinished) {
    if (deps.closed()) break;
    const settled = await settleOne(kept, deps);
    if (!settled || deps.closed()) break;
    deps.write(settled);
    out.push(settled);
    deps.logger.warn(
      { confirmationId: settled.confirmationId, status: settled.status, recovered: settled.recovered, actions: kept.record.actions },
      'a confirmation cut short by a stop of the hub was settled at this start',
    );
  }
  return out;
}

async function settleOne(kept: KeptConfirmation, deps: InterruptedDeps): Promise<Settled | undefined> {
  const { record } = kept;
  const confirmedAt = kept.settledAt ?? record.createdAt;
  // the time the owner had to answer is how long a yes stays fresh enough to act on after a crash
  const lifetimeMs = record.expiresAt - record.createdAt;
  const id = record.id;

  if (record.delayMs) {
    if (deps.hasSchedule(id)) return { confirmationId: id, status: 'scheduled', actions: [], recovered: 'already_done' };
    const dueAt = confirmedAt + record.delayMs;
    const now = deps.now();
    if (now < confirmedAt + lifetimeMs || dueAt > now) {
      deps.schedule(record, Math.max(0, dueAt - now));
      return { confirmationId: id, status: 'scheduled', actions: [], recovered: 'rerun' };
    }
    return interrupted(record, deps, confirmedAt);
  }

  const states = await deps.readStates([...new Set(record.actions.map((a) => a.deviceId))]);
  if (deps.closed()) return undefined;
  const held = heldBy(record.actions, deps.view, states);
  if (held) {
    for (const r of held) deps.report(record, r, 'already_done');
    return { confirmationId: id, status: 'executed', actions: held, recovered: 'already_done' };
  }
  if (deps.now() < confirmedAt + lifetimeMs) {
    const actions = await deps.run(record);
    return { confirmationId: id, status: 'executed', actions, recovered: 'rerun' };
  }
  return interrupted(record, deps, confirmedAt);
}

function interrupted(record: PendingConfirmation, deps: InterruptedDeps, confirmedAt: number): Settled {
  const message = `the hub stopped after the yes of ${new Date(confirmedAt).toISOString()} and before this ran; it was not run at the next start, more than ${Math.round((record.expiresAt - record.createdAt) / 1000)} s later`;
  const actions: ActionResult[] = record.actions.map((a) => ({ ...a, ok: false, error: { code: 'INTERRUPTED', message } }));
  for (const r of actions) deps.report(record, r, 'interrupted');
  return { confirmationId: record.id, status: 'failed', actions, recovered: 'interrupted' };
}

/**
 * The results of actions the devices already hold: each device's reported state, with every action applied in
 * order, is unchanged in every field the actions set. Undefined when any device's state is unknown or would change.
 */
export function heldBy(actions: readonly DeviceAction[], view: HomeView, states: ReadonlyMap<string, State>): ActionResult[] | undefined {
  const devices = new Map(view.devices().map((d) => [d.id, d]));
  const predicted = new Map<string, State>();
  const touched = new Map<string, Set<string>>();
  for (const a of actions) {
    const device = devices.get(a.deviceId);
    const now = states.get(a.deviceId);
    if (!device || !now) return undefined;
    const before = predicted.get(a.deviceId) ?? now;
    let patch: State;
    try {
      patch = commandEffect(device, before, a.command, a.params);
    } catch {
      return undefined;
    }
    predicted.set(a.deviceId, { ...before, ...patch });
    const fields = touched.get(a.deviceId) ?? new Set<string>();
    for (const f of Object.keys(patch)) fields.add(f);
    touched.set(a.deviceId, fields);
  }
  for (const [deviceId, fields] of touched) {
    const now = states.get(deviceId)!;
    const after = predicted.get(deviceId)!;
    for (const f of fields) if (!same(now[f], after[f])) return undefined;
  }
  return actions.map((a) => ({ ...a, ok: true, state: states.get(a.deviceId)! }));
}

function same(a: Value | undefined, b: Value | undefined): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
