/**
 * Device state over time, read from `state_history` (migration 1): the registry writes a row for every reported
 * value and pending target it commits, in the same transaction as the last known state (one per acknowledgement or
 * Homie message batch, `store/state-store.ts`), so history costs no second write path. This module reads the
 * reported values back as points and keeps the table bounded: rows older than `maxAgeDays` go, and beyond
 * `maxRows` the oldest go.
 */
import type { Value } from '@steward/device-adapters';
import type { Db } from '../store/database.ts';

export interface HistoryPoint {
  /** milliseconds since the epoch */
  t: number;
  field: string;
  value: Value;
}

export interface HistoryRetention {
  maxAgeDays: number;
  maxRows: number;
}

export class HistoryStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      // the newest `limit` reported values since `since`, newest first (turned to time order below)
      points: db.prepare(
        `SELECT field, value, at FROM state_history
         WHERE device_id = @device AND kind = 'value' AND at >= @since AND value IS NOT NULL
           AND field IN (SELECT value FROM json_each(@fields))
         ORDER BY at DESC, id DESC LIMIT @limit`,
      ),
      pruneAge: db.prepare(`DELETE FROM state_history WHERE at < ?`),
      maxId: db.prepare(`SELECT MAX(id) AS id FROM state_history`),
      // ids only grow (INTEGER PRIMARY KEY, only the oldest are deleted): the newest N are those above max - N
      pruneCount: db.prepare(`DELETE FROM state_history WHERE id <= ?`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM state_history`),
    };
  }

  /** Reported values of these fields of one device since `since`, in time order, the newest `limit`. */
  points(deviceId: string, opts: { since: number; fields: readonly string[]; limit: number }): HistoryPoint[] {
    type Row = { field: string; value: string; at: number };
    const rows = this.q.points.all({ device: deviceId, since: opts.since, fields: JSON.stringify(opts.fields), limit: opts.limit }) as Row[];
    const out: HistoryPoint[] = [];
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i]!;
      let value: Value;
      try {
        value = JSON.parse(r.value) as Value;
      } catch {
        continue; // a row no reader could use; the registry never writes one
      }
      out.push({ t: r.at, field: r.field, value });
    }
    return out;
  }

  /** Deletes what retention no longer keeps; returns how many rows went. */
  prune(retention: HistoryRetention, now: number): number {
    return this.db.transaction(() => {
      let n = this.q.pruneAge.run(now - retention.maxAgeDays * 86_400_000).changes;
      const max = (this.q.maxId.get() as { id: number | null }).id;
      if (max !== null) n += this.q.pruneCount.run(max - retention.maxRows).changes;
      return n;
    })();
  }

  count(): number {
    return (this.q.count.get() as { n: number }).n;
  }
}
