import type { ActionResult, ExecutedContext } from '../core/actions.ts';
import type { AuditLog } from './audit-log.ts';

export interface SensitiveCommandAudit {
  /**
   * the conversation pipeline's `onExecuted`: confirmed actions are the ones a `confirm` rule held (unlock, open),
   * whatever path they came from (a sentence, a scene, the device API, the planner)
   */
  conversation(result: ActionResult, context: ExecutedContext): void;
}

/**
 * Writes sensitive commands (those a device's `confirm` rules hold: unlocking, opening) to the audit log once the
 * owner confirmed them, whether they succeeded or not. An audit write that fails is logged by the audit log's caller
 * only: it never turns an executed command into an error, since the device already acted.
 */
export function sensitiveCommandAudit(audit: AuditLog, onError: (err: unknown) => void = () => undefined): SensitiveCommandAudit {
  const record = (r: ActionResult, actor: string, detail: Record<string, unknown>, source?: string) => {
    try {
      audit.record({
        kind: 'command.sensitive',
        actor: actor.slice(0, 120),
        subject: r.deviceId,
        ...(source ? { source: source.slice(0, 80) } : {}),
        detail: { command: r.command, params: r.params, ok: r.ok, ...(r.error ? { error: r.error.code } : {}), ...detail },
      });
    } catch (err) {
      onError(err);
    }
  };
  return {
    conversation(result, ctx) {
      // 'conversation' for sentences and scenes (as before), otherwise the path: api, planner, ...
      const via = ctx.source === undefined || ctx.source === 'sentence' || ctx.source === 'scene' ? 'conversation' : ctx.source;
      // the actor is who said yes: the API's admin, or the conversation that answered
      if (ctx.confirmed) record(result, ctx.by?.actor ?? ctx.conversationId, { via, scheduled: ctx.scheduled, ...(ctx.source ? { from: ctx.source } : {}), ...(ctx.recovered ? { recovered: ctx.recovered } : {}) }, ctx.by?.address);
    },
  };
}
