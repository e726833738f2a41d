import type Database from 'better-sqlite3';
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import { ConfirmationSourceSchema } from '../core/actions.ts';
import { LANG_TAGS } from '../core/lang-tags.ts';
import { ConfirmationResultSchema, GONE_STATUSES, type ConfirmationRecords, type ConfirmationResult, type KeptConfirmation, type PendingConfirmation } from './confirmations.ts';
import { DeviceActionSchema } from './schedules.ts';

type Row = {
  id: string;
  actions: string;
  summary: string;
  lang: string;
  source: string;
  conversation_id: string | null;
  delay_ms: number | null;
  created_at: number;
  expires_at: number;
  status: string;
  settled_at: number | null;
  result: string | null;
};

const KeptSchema = z.object({
  id: z.string(),
  actions: z.array(DeviceActionSchema),
  summary: z.string(),
  lang: z.enum(LANG_TAGS),
  source: ConfirmationSourceSchema,
  conversationId: z.string().optional(),
  delayMs: z.number().int().positive().optional(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
const GoneSchema = z.enum(GONE_STATUSES);
const StatusSchema = z.enum(['pending', ...GONE_STATUSES]);

/** how many settled rows are kept (the newest), so a late or repeated answer still learns why it is refused */
const KEEP_SETTLED = 1000;

/**
 * Pending confirmations in SQLite (table `confirmations`, hub/src/store/migrations.ts): a row is committed before
 * the owner is asked, and leaves `pending` exactly once (a conditional UPDATE), before anything runs.
 */
export class SqliteConfirmationRecords implements ConfirmationRecords {
  private readonly q;
  private settledSincePrune = 0;

  constructor(db: Database.Database) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO confirmations (id, actions, summary, lang, source, conversation_id, delay_ms, created_at, expires_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
      ),
      settle: db.prepare(`UPDATE confirmations SET status = ?, settled_at = ? WHERE id = ? AND status = 'pending'`),
      result: db.prepare(`UPDATE confirmations SET result = ? WHERE id = ?`),
      pending: db.prepare(`SELECT * FROM confirmations WHERE status = 'pending' ORDER BY created_at, rowid`),
      status: db.prepare(`SELECT status FROM confirmations WHERE id = ?`),
      find: db.prepare(`SELECT * FROM confirmations WHERE id = ?`),
      unfinished: db.prepare(`SELECT * FROM confirmations WHERE status = 'confirmed' AND result IS NULL ORDER BY settled_at, rowid`),
      prune: db.prepare(
        `DELETE FROM confirmations WHERE status != 'pending' AND id NOT IN
           (SELECT id FROM confirmations WHERE status != 'pending' ORDER BY settled_at DESC LIMIT ?)`,
      ),
    };
  }

  insert(r: PendingConfirmation): void {
    this.q.insert.run(r.id, JSON.stringify(r.actions), r.summary, r.lang, r.source, r.conversationId ?? null, r.delayMs ?? null, r.createdAt, r.expiresAt);
  }

  settle(id: string, status: z.infer<typeof GoneSchema>, at: number): boolean {
    const changed = this.q.settle.run(status, at, id).changes === 1;
    if (changed && ++this.settledSincePrune >= 100) this.prune();
    return changed;
  }

  result(id: string, settled: ConfirmationResult): void {
    this.q.result.run(JSON.stringify(settled), id);
  }

  pending(): PendingConfirmation[] {
    this.prune();
    return (this.q.pending.all() as Row[]).map(decode);
  }

  gone(id: string): z.infer<typeof GoneSchema> | undefined {
    const row = this.q.status.get(id) as { status: string } | undefined;
    const r = GoneSchema.safeParse(row?.status);
    return r.success ? r.data : undefined;
  }

  find(id: string): KeptConfirmation | undefined {
    const row = this.q.find.get(id) as Row | undefined;
    return row && kept(row);
  }

  unfinished(): KeptConfirmation[] {
    return (this.q.unfinished.all() as Row[]).map(kept);
  }

  private prune(): void {
    this.settledSincePrune = 0;
    this.q.prune.run(KEEP_SETTLED);
  }
}

function kept(row: Row): KeptConfirmation {
  const status = StatusSchema.safeParse(row.status);
  if (!status.success) throw new StewardError('INTERNAL', `the database holds an unknown status in confirmation ${row.id}`);
  let result: ConfirmationResult | undefined;
  if (row.result !== null) {
    const r = ConfirmationResultSchema.safeParse(parseJson(row.result, row.id));
    if (!r.success) throw new StewardError('INTERNAL', `the database holds an invalid result in confirmation ${row.id}: ${r.error.issues[0]?.message}`);
    result = r.data;
  }
  return { record: decode(row), status: status.data, ...(row.settled_at !== null ? { settledAt: row.settled_at } : {}), ...(result ? { result } : {}) };
}

function parseJson(text: string, id: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StewardError('INTERNAL', `the database holds invalid JSON in confirmation ${id}`);
  }
}

function decode(row: Row): PendingConfirmation {
  const actions = parseJson(row.actions, row.id);
  const r = KeptSchema.safeParse({
    id: row.id,
    actions,
    summary: row.summary,
    lang: row.lang,
    source: row.source,
    ...(row.conversation_id !== null ? { conversationId: row.conversation_id } : {}),
    ...(row.delay_ms !== null ? { delayMs: row.delay_ms } : {}),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  });
  if (!r.success) throw new StewardError('INTERNAL', `the database holds an invalid confirmation ${row.id}: ${r.error.issues[0]?.message}`);
  return r.data;
}
