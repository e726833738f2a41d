import { z } from 'zod';
import type { Logger } from 'pino';
import type { Db } from '../store/database.ts';
import { ensureSecuritySchema } from './schema.ts';

export const AUDIT_KINDS = [
  'pairing.window_opened',
  'pairing.window_closed',
  'pairing.succeeded',
  'pairing.failed',
  'pairing.rate_limited',
  'node.revoked',
  /** the owner removed a node (and its devices) or a single device from the registry */
  'node.removed',
  'device.removed',
  'credentials.issued',
  'credentials.deleted',
  'admin_token.created',
  'admin_token.rotated',
  'api.unauthorized',
  /** a browser traded the admin token for a session cookie (the dashboard), or signed out */
  'session.signed_in',
  'session.signed_out',
  /** unlock, open and other commands that needed confirmation (the conversation layer records them) */
  'command.sensitive',
] as const;

export const AuditEventSchema = z
  .object({
    kind: z.enum(AUDIT_KINDS),
    /** who did it: `admin`, `node:<id>`, `system`, a conversation id */
    actor: z.string().max(120).optional(),
    /** what it was done to: a node id, a device id, a user name */
    subject: z.string().max(120).optional(),
    /** where it came from: an IP address */
    source: z.string().max(80).optional(),
    /** more facts; never codes, passwords or tokens */
    detail: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type AuditEntry = AuditEvent & { id: number; at: string };

/** Append-only audit trail in SQLite: pairings, failed attempts, revocations, sensitive commands. */
export class AuditLog {
  private readonly q;

  constructor(
    db: Db,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    ensureSecuritySchema(db);
    this.q = {
      insert: db.prepare(`INSERT INTO audit_log (at, kind, actor, subject, source, detail) VALUES (?, ?, ?, ?, ?, ?)`),
      list: db.prepare(`SELECT * FROM audit_log WHERE (@kind IS NULL OR kind = @kind) AND (@subject IS NULL OR subject = @subject) ORDER BY id DESC LIMIT @limit`),
    };
  }

  /** Records one event; a bad event is a programming error and throws (nothing half-written). */
  record(event: AuditEvent): AuditEntry {
    const e = AuditEventSchema.parse(event);
    const at = this.now();
    const r = this.q.insert.run(at, e.kind, e.actor ?? null, e.subject ?? null, e.source ?? null, e.detail ? JSON.stringify(e.detail) : null);
    this.logger.info({ audit: e.kind, actor: e.actor, subject: e.subject, source: e.source }, 'audit');
    return { ...e, id: Number(r.lastInsertRowid), at: new Date(at).toISOString() };
  }

  /** newest first */
  list(opts: { kind?: AuditEvent['kind']; subject?: string; limit?: number } = {}): AuditEntry[] {
    type Row = { id: number; at: number; kind: AuditEvent['kind']; actor: string | null; subject: string | null; source: string | null; detail: string | null };
    const rows = this.q.list.all({ kind: opts.kind ?? null, subject: opts.subject ?? null, limit: Math.min(opts.limit ?? 100, 1000) }) as Row[];
    return rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      kind: r.kind,
      ...(r.actor !== null ? { actor: r.actor } : {}),
      ...(r.subject !== null ? { subject: r.subject } : {}),
      ...(r.source !== null ? { source: r.source } : {}),
      ...(r.detail !== null ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
    }));
  }
}
