import type Database from 'better-sqlite3';
import { StewardError } from '@steward/device-adapters';
import type { ActionResult } from './contract.ts';
import { ScheduleRecordSchema, type ScheduleRecord, type ScheduleStatus, type ScheduleStore } from './schedules.ts';

type Row = {
  id: string;
  conversation_id: string;
  actions: string;
  confirmed: number;
  context: string;
  created_at: number;
  due_at: number;
  status: string;
  finished_at: number | null;
  results: string | null;
};

/**
 * Scheduled commands in SQLite (table `schedules`, hub/src/store/migrations.ts): a row is committed before the user
 * is told "OK". Given the store feature's database.
 */
export class SqliteScheduleStore implements ScheduleStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO schedules (id, conversation_id, actions, confirmed, context, created_at, due_at, status, finished_at, results)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
      ),
      finish: db.prepare(`UPDATE schedules SET status = ?, finished_at = ?, results = ? WHERE id = ? AND status = 'pending'`),
      pending: db.prepare(`SELECT * FROM schedules WHERE status = 'pending' ORDER BY due_at`),
      finished: db.prepare(`SELECT * FROM schedules WHERE status != 'pending' ORDER BY finished_at DESC LIMIT ?`),
    };
  }

  insert(r: ScheduleRecord): void {
    this.q.insert.run(r.id, r.conversationId, JSON.stringify(r.actions), r.confirmed ? 1 : 0, JSON.stringify(r.context), r.createdAt, r.dueAt, r.status);
  }

  finish(id: string, status: Exclude<ScheduleStatus, 'pending'>, finishedAt: number, results: ActionResult[] | null): void {
    this.q.finish.run(status, finishedAt, results === null ? null : JSON.stringify(results), id);
  }

  pending(): ScheduleRecord[] {
    return (this.q.pending.all() as Row[]).map(decode);
  }

  list(limit: number): ScheduleRecord[] {
    const pending = this.pending();
    const rest = Math.max(0, limit - pending.length);
    return [...pending, ...(this.q.finished.all(rest) as Row[]).map(decode)].slice(0, limit);
  }
}

function decode(row: Row): ScheduleRecord {
  let raw: unknown;
  try {
    raw = {
      id: row.id,
      conversationId: row.conversation_id,
      actions: JSON.parse(row.actions),
      confirmed: row.confirmed === 1,
      context: JSON.parse(row.context),
      createdAt: row.created_at,
      dueAt: row.due_at,
      status: row.status,
      finishedAt: row.finished_at,
      results: row.results === null ? null : JSON.parse(row.results),
    };
  } catch {
    throw new StewardError('INTERNAL', `the database holds invalid JSON in schedule ${row.id}`);
  }
  const r = ScheduleRecordSchema.safeParse(raw);
  if (!r.success) throw new StewardError('INTERNAL', `the database holds an invalid schedule ${row.id}: ${r.error.issues[0]?.message}`);
  return r.data;
}
