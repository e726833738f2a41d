/**
 * One command's way through the hub: text → understanding → clauses → confirmation gate → gateway → reply.
 * Holds per-conversation memory (for "make it brighter"), pending confirmations and scheduled commands.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DeviceAction, HomeView, Lang, Understanding } from '../understanding/contract.ts';
import type { ActionResult, CommandTextRequest, CommandTextResponse, DeviceGateway } from './contract.ts';
import { splitByConfirmation } from './confirmation.ts';
import { executeActions } from './execute.ts';
import { systemTimers, type Timers } from './clock.ts';

export interface PipelineOptions {
  understanding: Understanding;
  gateway: DeviceGateway;
  view: HomeView;
  logger: Logger;
  timers?: Timers;
  /** how long a request for confirmation stays valid */
  confirmTtlMs?: number;
  /** idle conversations are forgotten after this */
  conversationTtlMs?: number;
  /** called for every executed action, e.g. for the audit log of sensitive commands */
  onExecuted?: (result: ActionResult, context: { conversationId: string; confirmed: boolean; scheduled: boolean }) => void;
}

interface Pending {
  actions: DeviceAction[];
  lang: Lang;
  expiresAt: number;
  delayMs?: number;
}

interface Conversation {
  memory: unknown;
  pending?: Pending;
  lastUsed: number;
}

export interface ConversationPipeline {
  handle(req: CommandTextRequest): Promise<CommandTextResponse>;
  /** forget conversations, pending confirmations and scheduled commands (benchmarks, tests) */
  reset(): void;
  close(): void;
}

const MAX_CONVERSATIONS = 1000;

export function createConversationPipeline(opts: PipelineOptions): ConversationPipeline {
  const { understanding, gateway, view, logger } = opts;
  const timers = opts.timers ?? systemTimers;
  const confirmTtlMs = opts.confirmTtlMs ?? 60_000;
  const conversationTtlMs = opts.conversationTtlMs ?? 30 * 60_000;
  const conversations = new Map<string, Conversation>();
  const scheduled = new Set<unknown>();

  function conversation(id: string): Conversation {
    const now = timers.now();
    let c = conversations.get(id);
    if (!c) {
      for (const [key, old] of conversations) {
        if (now - old.lastUsed > conversationTtlMs || conversations.size >= MAX_CONVERSATIONS) conversations.delete(key);
        else break; // insertion order ≈ age order
      }
      c = { memory: undefined, lastUsed: now };
    }
    conversations.delete(id);
    conversations.set(id, c);
    c.lastUsed = now;
    return c;
  }

  async function run(actions: DeviceAction[], conversationId: string, confirmed: boolean): Promise<ActionResult[]> {
    const results = await executeActions(gateway, actions);
    for (const r of results) {
      if (!r.ok) logger.warn({ conversationId, deviceId: r.deviceId, command: r.command, error: r.error }, 'action failed');
      opts.onExecuted?.(r, { conversationId, confirmed, scheduled: false });
    }
    return results;
  }

  /** `confirmed`: the user said yes to these before they were scheduled (the audit log records them as sensitive) */
  function schedule(actions: DeviceAction[], delayMs: number, conversationId: string, confirmed = false): void {
    const handle = timers.setTimeout(() => {
      scheduled.delete(handle);
      executeActions(gateway, actions).then(
        (results) => {
          for (const r of results) opts.onExecuted?.(r, { conversationId, confirmed, scheduled: true });
          logger.info({ conversationId, results: results.map((r) => ({ deviceId: r.deviceId, ok: r.ok })) }, 'scheduled actions ran');
        },
        (e: unknown) => logger.error({ conversationId, err: e }, 'scheduled actions failed'),
      );
    }, delayMs);
    scheduled.add(handle);
  }

  /** A reply for the results: the clause's own sentence when all went well, otherwise what failed and why. */
  function describe(lang: Lang, results: ActionResult[], success: string): string {
    const failed = results.filter((r) => !r.ok);
    if (failed.length === 0) return success;
    const parts = failed.map((r) =>
      understanding.say(lang, {
        key: 'failed',
        action: { deviceId: r.deviceId, command: r.command, params: r.params },
        error: r.error ?? { code: 'INTERNAL', message: 'unknown error' },
      }),
    );
    return failed.length === results.length ? parts.join(lang === 'zh' ? '' : ' ') : [success, ...parts].join(lang === 'zh' ? '' : ' ');
  }

  async function handle(req: CommandTextRequest): Promise<CommandTextResponse> {
    const conversationId = req.conversationId ?? randomUUID();
    const conv = conversation(conversationId);
    const now = timers.now();
    const interp = understanding.parse(req.text, { ...(req.area ? { area: req.area } : {}), memory: conv.memory });
    conv.memory = interp.memory;
    const lang = interp.lang;
    const replies: string[] = [];
    const results: ActionResult[] = [];
    const expired = conv.pending !== undefined && conv.pending.expiresAt <= now;

    for (const clause of interp.clauses) {
      switch (clause.kind) {
        case 'confirm': {
          const pending = conv.pending;
          conv.pending = undefined;
          if (!pending) {
            replies.push(understanding.say(lang, { key: 'nothingToConfirm' }));
          } else if (expired) {
            replies.push(understanding.say(lang, { key: 'confirmExpired' }));
          } else if (pending.delayMs) {
            schedule(pending.actions, pending.delayMs, conversationId, true);
            replies.push(understanding.say(lang, { key: 'confirmed' }));
          } else {
            const r = await run(pending.actions, conversationId, true);
            results.push(...r);
            replies.push(describe(lang, r, understanding.say(lang, { key: 'confirmed' })));
          }
          break;
        }
        case 'deny':
          replies.push(understanding.say(lang, { key: conv.pending && !expired ? 'cancelled' : 'nothingToConfirm' }));
          conv.pending = undefined;
          break;
        case 'query':
        case 'unknown':
          replies.push(clause.reply);
          break;
        case 'act': {
          const { run: runNow, hold } = splitByConfirmation(clause.actions, view, (id) => gateway.state(id));
          if (clause.delayMs && clause.delayMs > 0) {
            if (runNow.length) schedule(runNow, clause.delayMs, conversationId);
            if (runNow.length || hold.length === 0) replies.push(understanding.say(lang, { key: 'scheduled', delayMs: clause.delayMs, reply: clause.reply }));
          } else if (runNow.length) {
            const r = await run(runNow, conversationId, false);
            results.push(...r);
            // with actions held back, the clause's reply would claim them too: say only what ran
            replies.push(describe(lang, r, hold.length ? understanding.say(lang, { key: 'done', actions: runNow }) : clause.reply));
          }
          if (hold.length) {
            conv.pending = { actions: hold, lang, expiresAt: timers.now() + confirmTtlMs, ...(clause.delayMs ? { delayMs: clause.delayMs } : {}) };
            replies.push(understanding.say(lang, { key: 'confirmPrompt', actions: hold }));
            logger.info({ conversationId, actions: hold }, 'holding actions for confirmation');
          }
          break;
        }
      }
    }

    const awaitingConfirmation = conv.pending !== undefined && conv.pending.expiresAt > timers.now();
    const reply = replies.filter((r) => r.length > 0).join(lang === 'zh' ? '' : ' ');
    return { conversationId, reply, actions: results, awaitingConfirmation };
  }

  function reset(): void {
    for (const h of scheduled) timers.clearTimeout(h);
    scheduled.clear();
    conversations.clear();
  }

  return { handle, reset, close: reset };
}
