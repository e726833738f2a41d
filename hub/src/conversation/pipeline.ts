/**
 * One command's way through the hub: text → understanding → clauses → confirmation gate → gateway → reply.
 * Holds per-conversation memory (for "make it brighter"), pending confirmations and scheduled commands.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clause, DeviceAction, HomeView, Lang, Understanding } from '../understanding/contract.ts';
import { joinReplies } from '../understanding/languages/index.ts';
import type { ExecutedContext, RecoveredHow } from '../core/actions.ts';
import type { State } from '@steward/device-adapters';
import type { ActionResult, CommandTextRequest, CommandTextResponse, DeviceGateway } from './contract.ts';
import { splitByConfirmation } from './confirmation.ts';
import { executeActions } from './execute.ts';
import { watched, type TurnObserver, type TurnWatch } from './observer.ts';
import { systemTimers, type Timers } from './clock.ts';
import {
  ConfirmationStore,
  confirmationRef,
  type ConfirmationRecords,
  type ConfirmationRef,
  type ConfirmationSource,
  type ConfirmationResult,
  type PendingConfirmation,
  type Settler,
} from './confirmations.ts';
import { settleInterrupted } from './interrupted.ts';
import { afterTurn, dialogueContext, newDialogue, type DialogueState } from './dialogue.ts';
import { MemoryScheduleStore, Scheduler, type ScheduleStore } from './schedules.ts';

export interface PipelineOptions {
  understanding: Understanding;
  gateway: DeviceGateway;
  view: HomeView;
  logger: Logger;
  timers?: Timers;
  /** how long a request for confirmation stays valid (when the pipeline makes its own store) */
  confirmTtlMs?: number;
  /** the hub's one store of pending confirmations; made here when not given */
  confirmations?: ConfirmationStore;
  /** where the store it makes keeps its records across restarts (SQLite in the hub); default: memory only */
  confirmationRecords?: ConfirmationRecords;
  /** idle conversations are forgotten after this */
  conversationTtlMs?: number;
  /** how long a question of the hub ("Which one do you mean?") waits for its answer */
  questionTtlMs?: number;
  /** called for every executed action, e.g. for the audit log of sensitive commands */
  onExecuted?: (result: ActionResult, context: ExecutedContext) => void;
  /** watches every turn as it happens (trajectories); its calls are synchronous and `end` runs before the reply leaves */
  observer?: TurnObserver;
  /** where scheduled commands are kept (SQLite in the hub, so they survive a restart); default: memory */
  schedules?: ScheduleStore;
  /** a schedule that fell due while the hub was down still runs when at most this late (default 2 minutes) */
  scheduleGraceMs?: number;
  /** resolves when the devices' nodes are online or after `timeoutMs` (a late schedule waits for its nodes) */
  whenReachable?: (deviceIds: readonly string[], timeoutMs: number) => Promise<void>;
}

export type { ExecutedContext };

interface Conversation {
  dialogue: DialogueState;
  /** the id of this conversation's pending confirmation in the store: its "yes" or "no" settles that record */
  pendingId?: string;
  lastUsed: number;
}

/** what `act` did: the results of what ran, and the record of what waits for the owner's yes */
export interface ActOutcome {
  results: ActionResult[];
  confirmation?: PendingConfirmation;
}

export interface ConversationPipeline {
  /** `via`: how the text came, for the record of the turn (`voice`: a transcript); default typed text */
  handle(req: CommandTextRequest, via?: { source?: 'voice' }): Promise<CommandTextResponse>;
  /**
   * Actions from any path other than a sentence (the device API, the planner, the dashboard): what a `confirm` rule
   * covers becomes one pending confirmation, the rest runs now (or after `delayMs`: scheduled, and the held part
   * runs that long after the yes). The same rule as sentences and scenes.
   */
  act(actions: DeviceAction[], ctx: { source: ConfirmationSource; lang?: Lang; conversationId?: string; delayMs?: number }): Promise<ActOutcome>;
  /** what the rules make of a text in its conversation, without acting or remembering (the planner's router) */
  preview(req: Pick<CommandTextRequest, 'text' | 'area' | 'conversationId' | 'lang'>): { lang: Lang; kinds: Clause['kind'][] };
  readonly confirmations: ConfirmationStore;
  /** forget conversations, pending confirmations and scheduled commands (benchmarks, tests) */
  reset(): void;
  /** stops the schedule timers; stored schedules stay pending for the next start */
  close(): void;
  /** scheduled commands: `restore()` at start, `list()` for GET /api/schedules */
  readonly schedules: Scheduler;
  /**
   * At start: settles the confirmations whose yes was cut short by a stop of the hub (interrupted.ts), reading the
   * devices' state from their nodes with `readStates`. Resolves once each is settled (or the pipeline closed).
   */
  settleInterrupted(readStates: (deviceIds: readonly string[]) => Promise<Map<string, State>>): Promise<ConfirmationResult[]>;
}

const MAX_CONVERSATIONS = 1000;

export function createConversationPipeline(opts: PipelineOptions): ConversationPipeline {
  const { understanding, gateway, view, logger } = opts;
  const timers = opts.timers ?? systemTimers;
  const confirmations =
    opts.confirmations ??
    new ConfirmationStore({
      timers,
      ttlMs: opts.confirmTtlMs ?? 60_000,
      summarize: (lang, actions) => understanding.say(lang, { key: 'confirmSummary', actions }),
      ...(opts.confirmationRecords ? { records: opts.confirmationRecords } : {}),
    });
  const conversationTtlMs = opts.conversationTtlMs ?? 30 * 60_000;
  const questionTtlMs = opts.questionTtlMs ?? 120_000;
  const conversations = new Map<string, Conversation>();
  /** the observer's watch of the turn each conversation is in: what runs for it (also once confirmed) is reported */
  const watching = new Map<string, TurnWatch>();
  const scheduler = new Scheduler({
    store: opts.schedules ?? new MemoryScheduleStore(),
    timers,
    graceMs: opts.scheduleGraceMs ?? 120_000,
    logger,
    ...(opts.whenReachable ? { whenReachable: opts.whenReachable } : {}),
    run: async (actions, record) => {
      const results = await executeActions(gateway, actions);
      for (const r of results) opts.onExecuted?.(r, { conversationId: record.conversationId, confirmed: record.confirmed, scheduled: true, ...record.context });
      return results;
    },
  });

  function conversation(id: string): Conversation {
    const now = timers.now();
    let c = conversations.get(id);
    if (!c) {
      for (const [key, old] of conversations) {
        if (now - old.lastUsed > conversationTtlMs || conversations.size >= MAX_CONVERSATIONS) conversations.delete(key);
        else break; // insertion order ≈ age order
      }
      c = { dialogue: newDialogue(), lastUsed: now };
    }
    conversations.delete(id);
    conversations.set(id, c);
    c.lastUsed = now;
    return c;
  }

  async function run(
    actions: DeviceAction[],
    conversationId: string,
    confirmed: boolean,
    source?: ConfirmationSource,
    by?: Settler,
    recovered?: RecoveredHow,
  ): Promise<ActionResult[]> {
    const results = await executeActions(watched(gateway, watching.get(conversationId)), actions);
    for (const r of results) {
      if (!r.ok) logger.warn({ conversationId, deviceId: r.deviceId, command: r.command, error: r.error }, 'action failed');
      opts.onExecuted?.(r, { conversationId, confirmed, scheduled: false, ...(source ? { source } : {}), ...(by ? { by } : {}), ...(recovered ? { recovered } : {}) });
    }
    return results;
  }

  /**
   * `confirmed`: the user said yes to these before they were scheduled (the audit log records them as sensitive);
   * `confirmationId`: the record whose yes made it (found again after a crash, interrupted.ts)
   */
  function schedule(actions: DeviceAction[], delayMs: number, conversationId: string, confirmed = false, source?: ConfirmationSource, by?: Settler, confirmationId?: string): void {
    scheduler.add(actions, delayMs, conversationId, confirmed, { ...(source ? { source } : {}), ...(by ? { by } : {}), ...(confirmationId ? { confirmationId } : {}) });
  }

  // a confirmed record runs here whichever way the owner said yes (API or conversation)
  confirmations.setRunner(async (record, by) => {
    const conversationId = record.conversationId ?? `confirmation:${record.id}`;
    logger.info({ conversationId, confirmationId: record.id, source: record.source, actions: record.actions }, 'confirmed');
    if (record.delayMs) {
      schedule(record.actions, record.delayMs, conversationId, true, record.source, by, record.id);
      return { status: 'scheduled', actions: [] };
    }
    return { status: 'executed', actions: await run(record.actions, conversationId, true, record.source, by) };
  });

  // records kept from before a restart wait again, each as its conversation's question: a "yes" (or "no") sent with
  // the same conversationId settles it as before; what else that conversation held ("make it brighter") is gone
  for (const record of confirmations.restore()) {
    if (record.conversationId !== undefined) conversation(record.conversationId).pendingId = record.id;
    logger.info({ confirmationId: record.id, conversationId: record.conversationId, expiresAt: new Date(record.expiresAt).toISOString() }, 'confirmation restored');
  }

  /** holds actions as this conversation's pending confirmation, replacing an older one ("yes" answers the latest) */
  function holdFor(conv: Conversation, conversationId: string, actions: DeviceAction[], lang: Lang, source: ConfirmationSource, delayMs?: number): PendingConfirmation {
    if (conv.pendingId) confirmations.supersede(conv.pendingId);
    const record = confirmations.hold({ actions, lang, source, conversationId, ...(delayMs ? { delayMs } : {}) });
    conv.pendingId = record.id;
    logger.info({ conversationId, confirmationId: record.id, source, actions }, 'holding actions for confirmation');
    return record;
  }

  function pendingOf(conv: Conversation): PendingConfirmation | undefined {
    if (!conv.pendingId) return undefined;
    const found = confirmations.lookup(conv.pendingId);
    return 'record' in found ? found.record : undefined;
  }

  /**
   * A reply composed from the nodes' answers: the clause's own sentence when every action was acknowledged;
   * otherwise the failures first, each with its reason, then whether the rest was done.
   */
  function describe(lang: Lang, results: ActionResult[], success: string): string {
    const failed = results.filter((r) => !r.ok);
    if (failed.length === 0) return success;
    // one reason per device and cause: "turn on" and "set brightness" of an offline lamp fail for one reason
    const seen = new Set<string>();
    const first = failed.filter((r) => {
      const key = `${r.deviceId}|${r.error?.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return understanding.say(lang, {
      key: 'outcome',
      failed: first.map((r) => ({
        action: { deviceId: r.deviceId, command: r.command, params: r.params },
        error: r.error ?? { code: 'INTERNAL', message: 'unknown error' },
      })),
      rest: failed.length < results.length,
    });
  }

  async function handle(req: CommandTextRequest, via: { source?: 'voice' } = {}): Promise<CommandTextResponse> {
    const conversationId = req.conversationId ?? randomUUID();
    const conv = conversation(conversationId);
    const now = timers.now();
    const context = dialogueContext(conv.dialogue, now);
    const interp = understanding.parse(req.text, { ...(req.area ? { area: req.area } : {}), ...(req.lang ? { lang: req.lang } : {}), ...context });
    afterTurn(conv.dialogue, interp, now, questionTtlMs);
    const watch = opts.observer?.begin({ conversationId, text: req.text, ...(req.area ? { area: req.area } : {}), interpretation: interp, ...(via.source ? { source: via.source } : {}) });
    if (watch) watching.set(conversationId, watch);
    const lang = interp.lang;
    const replies: string[] = [];
    /** replies of clauses where something failed: said first */
    const failures: string[] = [];
    const results: ActionResult[] = [];
    for (const clause of interp.clauses) {
      switch (clause.kind) {
        case 'confirm': {
          const id = conv.pendingId;
          conv.pendingId = undefined;
          const found = id === undefined ? undefined : confirmations.lookup(id);
          if (!id || !found || 'gone' in found) {
            // settled elsewhere (the API) counts as nothing to confirm; only a timed-out one says so
            const key = found && 'gone' in found && found.gone === 'expired' ? 'confirmExpired' : 'nothingToConfirm';
            if (key === 'confirmExpired') watch?.confirmation('expired', id);
            replies.push(understanding.say(lang, { key }));
            break;
          }
          watch?.confirmation('confirm', id);
          const settled = await confirmations.settle(id, 'confirm');
          results.push(...settled.actions);
          (settled.actions.some((x) => !x.ok) ? failures : replies).push(describe(lang, settled.actions, understanding.say(lang, { key: 'confirmed' })));
          break;
        }
        case 'deny': {
          const pending = pendingOf(conv);
          if (pending) watch?.confirmation('cancel', pending.id);
          if (pending) await confirmations.settle(pending.id, 'cancel');
          conv.pendingId = undefined;
          // "never mind" drops a pending confirmation, or the question the hub just asked
          replies.push(understanding.say(lang, { key: pending || context.question !== undefined ? 'cancelled' : 'nothingToConfirm' }));
          break;
        }
        case 'query':
        case 'unknown':
          replies.push(clause.reply);
          break;
        case 'act': {
          const { run: runNow, hold } = splitByConfirmation(clause.actions, view, (id) => gateway.state(id));
          if (clause.delayMs && clause.delayMs > 0) {
            if (runNow.length) schedule(runNow, clause.delayMs, conversationId);
            if (runNow.length) watch?.scheduled(runNow, clause.delayMs);
            if (runNow.length || hold.length === 0) replies.push(understanding.say(lang, { key: 'scheduled', delayMs: clause.delayMs, reply: clause.reply }));
          } else if (runNow.length) {
            const r = await run(runNow, conversationId, false);
            results.push(...r);
            // with actions held back, the clause's reply would claim them too: say only what ran
            (r.some((x) => !x.ok) ? failures : replies).push(
              describe(lang, r, hold.length ? understanding.say(lang, { key: 'done', actions: runNow }) : clause.reply),
            );
          }
          if (hold.length) {
            const held = holdFor(conv, conversationId, hold, lang, clause.sceneId ? 'scene' : 'sentence', clause.delayMs);
            watch?.confirmation('requested', held.id);
            replies.push(understanding.say(lang, { key: 'confirmPrompt', actions: hold }));
          }
          break;
        }
      }
    }

    const pending = pendingOf(conv);
    const reply = joinReplies(lang, [...failures, ...replies]);
    const confirmation: ConfirmationRef | undefined = pending && confirmationRef(pending);
    const response = { conversationId, reply, actions: results, awaitingConfirmation: pending !== undefined, ...(confirmation ? { confirmation } : {}) };
    watching.delete(conversationId);
    watch?.end(response);
    return response;
  }

  async function act(actions: DeviceAction[], ctx: { source: ConfirmationSource; lang?: Lang; conversationId?: string; delayMs?: number }): Promise<ActOutcome> {
    const { run: runNow, hold } = splitByConfirmation(actions, view, (id) => gateway.state(id));
    const id = ctx.conversationId ?? `${ctx.source}:${randomUUID()}`;
    const delayMs = ctx.delayMs && ctx.delayMs > 0 ? ctx.delayMs : undefined;
    if (delayMs && runNow.length) schedule(runNow, delayMs, id, false, ctx.source);
    const results = runNow.length && !delayMs ? await run(runNow, id, false) : [];
    if (hold.length === 0) return { results };
    const lang = ctx.lang ?? 'en';
    const confirmation = ctx.conversationId
      ? holdFor(conversation(ctx.conversationId), ctx.conversationId, hold, lang, ctx.source, delayMs)
      : confirmations.hold({ actions: hold, lang, source: ctx.source, ...(delayMs ? { delayMs } : {}) });
    if (!ctx.conversationId) logger.info({ confirmationId: confirmation.id, source: ctx.source, actions: hold }, 'holding actions for confirmation');
    return { results, confirmation };
  }

  function preview(req: Pick<CommandTextRequest, 'text' | 'area' | 'conversationId' | 'lang'>): { lang: Lang; kinds: Clause['kind'][] } {
    const dialogue = req.conversationId === undefined ? undefined : conversations.get(req.conversationId)?.dialogue;
    const context = dialogue ? dialogueContext(dialogue, timers.now()) : {};
    const interp = understanding.parse(req.text, { ...(req.area ? { area: req.area } : {}), ...(req.lang ? { lang: req.lang } : {}), ...context });
    return { lang: interp.lang, kinds: interp.clauses.map((c) => c.kind) };
  }

  function reset(): void {
    scheduler.cancelAll();
    conversations.clear();
    watching.clear();
    confirmations.clear(true);
  }

  let closed = false;
  const conversationOf = (record: PendingConfirmation) => record.conversationId ?? `confirmation:${record.id}`;

  function recover(readStates: (deviceIds: readonly string[]) => Promise<Map<string, State>>): Promise<ConfirmationResult[]> {
    return settleInterrupted(confirmations.unfinished(), {
      view,
      now: () => timers.now(),
      readStates,
      run: (record) => run(record.actions, conversationOf(record), true, record.source, undefined, 'rerun'),
      hasSchedule: (id) => scheduler.list(1000).some((s) => s.context.confirmationId === id),
      schedule: (record, delayMs) => schedule(record.actions, delayMs, conversationOf(record), true, record.source, undefined, record.id),
      report: (record, result, recovered) =>
        opts.onExecuted?.(result, { conversationId: conversationOf(record), confirmed: true, scheduled: false, source: record.source, recovered }),
      write: (settled) => confirmations.recordResult(settled),
      closed: () => closed,
      logger,
    });
  }

  function close(): void {
    closed = true;
    scheduler.close();
    conversations.clear();
    watching.clear();
    confirmations.clear();
  }

  return { handle, act, preview, confirmations, reset, close, schedules: scheduler, settleInterrupted: recover };
}
