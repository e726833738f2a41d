/**
 * `steward-hub trajectories export --format openai|sharegpt [--redact] [--since T] [--data-dir D]`: fine-tuning
 * JSONL on stdout, read from the hub's SQLite file opened read-only (WAL lets it run beside a running hub).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StewardError } from '@steward/device-adapters';
import { DB_FILE } from '../store/database.ts';
import { EXPORT_FORMATS, exportLine, type ExportFormat } from './export.ts';
import { createRedactor, homeEntities, placesIn } from './redact.ts';
import { TrajectoryQuerySchema } from './schema.ts';
import { TrajectoryStore } from './store.ts';

export const TRAJECTORIES_USAGE = `       steward-hub trajectories export --format openai|sharegpt [--redact] [--since T] [--data-dir D]

  trajectories export  writes the recorded requests as fine-tuning JSONL to stdout (also while the hub runs);
                       --redact replaces device, area, node, scene and place names with placeholders (DEVICE_1, ...);
                       --since T: only those started at or after T (ISO time or epoch ms)`;

export class TrajectoriesUsageError extends Error {}

export interface ExportSummary {
  written: number;
  /** left out by the format (sharegpt: corrected trajectories) */
  skipped: number;
}

/** Runs the subcommand; lines go to `write`, the summary is returned (the CLI prints it on stderr). */
export function runTrajectoriesCommand(argv: string[], write: (chunk: string) => void): ExportSummary {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string' }, redact: { type: 'boolean' }, since: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
  } catch (e) {
    throw new TrajectoriesUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'export') throw new TrajectoriesUsageError('usage: steward-hub trajectories export --format openai|sharegpt ...');
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new TrajectoriesUsageError(`--format must be ${EXPORT_FORMATS.join(' or ')}`);
  const q = TrajectoryQuerySchema.safeParse(values.since === undefined ? {} : { since: values.since });
  if (!q.success) throw new TrajectoriesUsageError(`--since: ${q.error.issues[0]?.message}`);

  const file = join(resolve(values['data-dir'] ?? '.data'), DB_FILE);
  if (!existsSync(file)) throw new StewardError('NOT_FOUND', `no hub database at ${file} (give the hub's --data-dir)`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trajectories'`).get();
    if (!hasTable) throw new StewardError('NOT_FOUND', `${file} holds no trajectories yet (a hub of this version records them)`);
    const store = new TrajectoryStore(db, {}, true);
    const since = q.data.since !== undefined ? { since: q.data.since } : {};
    // one read transaction: the placeholders and the lines come from the same snapshot
    return db.transaction(() => {
      let redactor;
      if (values.redact) {
        const args: unknown[] = [];
        for (const t of store.iterate(since)) for (const s of t.steps) if (s.kind === 'tool_call') args.push(s.arguments);
        redactor = createRedactor([...homeEntities(db), ...placesIn(args)]);
      }
      const summary: ExportSummary = { written: 0, skipped: 0 };
      for (const t of store.iterate(since)) {
        const line = exportLine(t, format, redactor);
        if (!line) summary.skipped++;
        else {
          write(`${JSON.stringify(line)}\n`);
          summary.written++;
        }
      }
      return summary;
    })();
  } finally {
    db.close();
  }
}
