import type { ActionResult } from '../core/actions.ts';
import type { AuditLog } from './audit-log.ts';

export interface SensitiveCommandAudit {
  /** the conversation pipeline's `onExecuted`: confirmed actions are the ones a `confirm` rule held (unlock, open) */
  conversation(result: ActionResult, context: { conversationId: string; confirmed: boolean; scheduled: boolean }): void;
  /** direct control (POST /api/devices/:id/commands) of a change a `confirm` rule covers: the admin token was its confirmation */
  direct(result: ActionResult, context: { source: string }): void;
}

/**
 * Writes sensitive commands (those a device's `confirm` rules hold: unlocking, opening) to the audit log, whether they
 * succeeded or not. An audit write that fails is logged by the audit log's caller only: it never turns an executed
 * command into an error, since the device already acted.
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
      if (ctx.confirmed) record(result, ctx.conversationId, { via: 'conversation', scheduled: ctx.scheduled });
    },
    direct(result, ctx) {
      record(result, 'admin', { via: 'api' }, ctx.source);
    },
  };
}
