/**
 * Trajectories in the hub's SQLite file: one row per request, its steps as a JSON array. Each is written in one
 * synchronous statement when the request finishes, so it is on disk before the HTTP response leaves. Retention by
 * count and age is applied on every write. The table lives outside the registry migrations (like the security
 * tables) so it ships on its own; never drop or rename columns here, add new ones guarded by a check.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../store/database.ts';
import { TrajectoryStepSchema, type TrajectoryHandle, type TrajectoryOutcome, type TrajectoryRecorder, type TrajectoryStart, type TrajectoryStep } from './recorder.ts';
import { isCorrection } from './correction.ts';
import { RetentionSchema, TrajectorySchema, type Retention, type Trajectory } from './schema.ts';

export function ensureTrajectorySchema(db: Db): void {
  db.exec(`
  CREATE TABLE IF NOT EXISTS trajectories (
    seq INTEGER PRIMARY KEY,          -- insertion order: retention by count keeps the highest
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL,
    path TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    lang TEXT NOT NULL,
    area TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    reply TEXT NOT NULL,
    ok INTEGER NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    steps TEXT NOT NULL               -- JSON array of TrajectoryStep
  );
  CREATE INDEX IF NOT EXISTS trajectories_by_start ON trajectories(started_at);
  CREATE INDEX IF NOT EXISTS trajectories_by_conversation ON trajectories(conversation_id, seq);
  `);
}

interface Row {
  seq: number;
  id: string;
  conversation_id: string;
  path: string;
  source: string;
  text: string;
  lang: string;
  area: string | null;
  started_at: number;
  finished_at: number;
  reply: string;
  ok: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  steps: string;
}

function fromRow(r: Row): Trajectory {
  return TrajectorySchema.parse({
    id: r.id,
    conversationId: r.conversation_id,
    path: r.path,
    source: r.source,
    text: r.text,
    lang: r.lang,
    ...(r.area !== null ? { area: r.area } : {}),
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: new Date(r.finished_at).toISOString(),
    ms: r.finished_at - r.started_at,
    reply: r.reply,
    ok: r.ok === 1,
    ...(r.prompt_tokens !== null && r.completion_tokens !== null ? { tokens: { prompt: r.prompt_tokens, completion: r.completion_tokens } } : {}),
    steps: JSON.parse(r.steps) as unknown,
  });
}

/** Reads (API, exporter) and writes (recorder) of the trajectories table. */
export class TrajectoryStore {
  private readonly q;
  readonly retention: Retention;

  /** `readOnly`: the exporter's connection to a running hub's file: no schema changes, no writes */
  constructor(
    private readonly db: Db,
    retention: Partial<Retention> = {},
    readOnly = false,
  ) {
    this.retention = RetentionSchema.parse(retention);
    if (!readOnly) ensureTrajectorySchema(db);
    this.q = {
      list: db.prepare(`SELECT * FROM trajectories WHERE started_at >= @since ORDER BY seq DESC LIMIT @limit`),
      /** oldest first, for the exporter: a stable order that streams */
      iterate: db.prepare(`SELECT * FROM trajectories WHERE started_at >= @since ORDER BY seq`),
      get: db.prepare(`SELECT * FROM trajectories WHERE id = ?`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM trajectories`),
    };
  }

  private writes() {
    return {
      insert: this.db.prepare(
        `INSERT INTO trajectories (id, conversation_id, path, source, text, lang, area, started_at, finished_at, reply, ok, prompt_tokens, completion_tokens, steps)
         VALUES (@id, @conversation_id, @path, @source, @text, @lang, @area, @started_at, @finished_at, @reply, @ok, @prompt_tokens, @completion_tokens, @steps)`,
      ),
      setSteps: this.db.prepare(`UPDATE trajectories SET steps = ? WHERE id = ?`),
      pruneAge: this.db.prepare(`DELETE FROM trajectories WHERE started_at < ?`),
      // seq grows by one per insert (only the oldest are ever deleted): the newest N are those above last - N
      pruneCount: this.db.prepare(`DELETE FROM trajectories WHERE seq <= ?`),
    };
  }

  private w: ReturnType<TrajectoryStore['writes']> | undefined;
  private get write() {
    return (this.w ??= this.writes());
  }

  insert(t: Omit<Trajectory, 'startedAt' | 'finishedAt' | 'ms'> & { startedAt: number; finishedAt: number }, now = Date.now()): void {
    this.db.transaction(() => {
      const { lastInsertRowid } = this.write.insert.run({
        id: t.id,
        conversation_id: t.conversationId,
        path: t.path,
        source: t.source,
        text: t.text,
        lang: t.lang,
        area: t.area ?? null,
        started_at: t.startedAt,
        finished_at: t.finishedAt,
        reply: t.reply,
        ok: t.ok ? 1 : 0,
        prompt_tokens: t.tokens?.prompt ?? null,
        completion_tokens: t.tokens?.completion ?? null,
        steps: JSON.stringify(t.steps),
      });
      this.write.pruneAge.run(now - this.retention.maxAgeDays * 86_400_000);
      this.write.pruneCount.run(Number(lastInsertRowid) - this.retention.maxCount);
    })();
  }

  /** Adds a step to a finished trajectory (a correction heard later); false when it is gone (retention). */
  append(id: string, step: TrajectoryStep): boolean {
    const checked = TrajectoryStepSchema.parse(step);
    return this.db.transaction(() => {
      const row = this.q.get.get(id) as Row | undefined;
      if (!row) return false;
      const steps = JSON.parse(row.steps) as unknown[];
      steps.push(checked);
      this.write.setSteps.run(JSON.stringify(steps), id);
      return true;
    })();
  }

  get(id: string): Trajectory | undefined {
    const row = this.q.get.get(id) as Row | undefined;
    return row && fromRow(row);
  }

  /** newest first */
  list(opts: { limit?: number; since?: number } = {}): Trajectory[] {
    const rows = this.q.list.all({ since: opts.since ?? 0, limit: Math.min(opts.limit ?? 50, 1000) }) as Row[];
    return rows.map(fromRow);
  }

  /** oldest first, one at a time (the exporter streams a large table) */
  *iterate(opts: { since?: number } = {}): IterableIterator<Trajectory> {
    for (const row of this.q.iterate.iterate({ since: opts.since ?? 0 }) as IterableIterator<Row>) yield fromRow(row);
  }

  count(): number {
    return (this.q.count.get() as { n: number }).n;
  }
}

export interface SqliteRecorderOptions {
  store: TrajectoryStore;
  logger: Logger;
  now?: () => number;
  /** a correction said this soon after a request in the same conversation is recorded on that request (default 2 min) */
  correctionWindowMs?: number;
  /** each trajectory once it is on disk (the commands' event stream); a throw is logged, never the request's */
  onFinished?: (t: Trajectory) => void;
}

/** conversations whose last trajectory is remembered for corrections */
const MAX_REMEMBERED = 1000;

/**
 * The recorder both paths use. Steps are validated as they come; `finish` writes the whole trajectory in one
 * transaction. A write that fails is logged and never fails the user's request.
 */
export function createSqliteRecorder(opts: SqliteRecorderOptions): TrajectoryRecorder {
  const { store, logger } = opts;
  const now = opts.now ?? Date.now;
  const correctionWindowMs = opts.correctionWindowMs ?? 120_000;
  const lastOf = new Map<string, { id: string; finishedAt: number }>();

  function noteCorrection(start: TrajectoryStart, at: number): void {
    const last = lastOf.get(start.conversationId);
    if (!last || at - last.finishedAt > correctionWindowMs || !isCorrection(start.text)) return;
    try {
      store.append(last.id, { kind: 'correction', at, text: start.text });
    } catch (err) {
      logger.error({ err, trajectory: last.id }, 'correction not recorded');
    }
  }

  return {
    begin(start: TrajectoryStart): TrajectoryHandle {
      const id = randomUUID();
      const startedAt = now();
      noteCorrection(start, startedAt);
      const steps: TrajectoryStep[] = [];
      let finished = false;
      return {
        id,
        step(s) {
          const r = TrajectoryStepSchema.safeParse(s);
          if (!r.success) {
            logger.error({ trajectory: id, kind: (s as { kind?: unknown }).kind, issues: r.error.issues }, 'trajectory step failed its schema; not recorded');
            return;
          }
          steps.push(r.data);
        },
        finish(outcome: TrajectoryOutcome) {
          if (finished) return;
          finished = true;
          const finishedAt = now();
          try {
            store.insert({ id, ...start, steps, startedAt, finishedAt, reply: outcome.reply, ok: outcome.ok, ...(outcome.tokens ? { tokens: outcome.tokens } : {}) }, finishedAt);
            lastOf.delete(start.conversationId);
            lastOf.set(start.conversationId, { id, finishedAt });
            if (lastOf.size > MAX_REMEMBERED) lastOf.delete(lastOf.keys().next().value!);
          } catch (err) {
            logger.error({ err, trajectory: id }, 'trajectory not recorded');
            return;
          }
          if (!opts.onFinished) return;
          try {
            const stored = store.get(id);
            if (stored) opts.onFinished(stored);
          } catch (err) {
            logger.error({ err, trajectory: id }, 'a listener of finished trajectories failed');
          }
        },
      };
    },
  };
}
