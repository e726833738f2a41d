/**
 * Trajectories: every request the hub answers, rule path and planner alike, kept in the hub's SQLite file under
 * retention, readable at GET /api/trajectories and exportable as fine-tuning JSONL (`steward-hub trajectories
 * export`). Nothing leaves the machine unless the owner exports it.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../store/database.ts';
import type { TurnObserver } from '../conversation/observer.ts';
import { Signal } from '../core/signal.ts';
import type { TrajectoryRecorder } from './recorder.ts';
import { rulePathObserver } from './rule-path.ts';
import { commandOf, type CommandView } from './commands.ts';
import { RetentionSchema } from './schema.ts';
import { createSqliteRecorder, TrajectoryStore } from './store.ts';

export const TrajectoriesConfigSchema = RetentionSchema.extend({
  /** a correction ("no, the other one") said this soon after a request is recorded on it */
  correctionWindowMs: z.number().int().min(0).max(3_600_000).default(120_000),
});
export type TrajectoriesConfig = z.infer<typeof TrajectoriesConfigSchema>;

export interface Trajectories {
  readonly store: TrajectoryStore;
  /** for the planner loop */
  readonly recorder: TrajectoryRecorder;
  /** for the conversation pipeline (rule path) */
  readonly observer: TurnObserver;
  /** every request once its trajectory is stored, both paths, as GET /api/commands shows it (the event stream) */
  readonly commands: Signal<CommandView>;
}

export function createTrajectories(db: Db, logger: Logger, config: Partial<TrajectoriesConfig> = {}): Trajectories {
  const c = TrajectoriesConfigSchema.parse(config);
  const store = new TrajectoryStore(db, { maxCount: c.maxCount, maxAgeDays: c.maxAgeDays });
  const commands = new Signal<CommandView>();
  const log = logger.child({ component: 'trajectories' });
  const recorder = createSqliteRecorder({
    store,
    logger: log,
    correctionWindowMs: c.correctionWindowMs,
    onFinished: (t) => commands.emit(commandOf(t), (err) => log.error({ err }, 'a listener of finished commands failed')),
  });
  return { store, recorder, observer: rulePathObserver(recorder), commands };
}
