import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { StewardError } from '@steward/device-adapters';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

export const DB_FILE = 'steward.db';

/**
 * The data folder holds the database, the TLS key, the admin token and credentials: the hub's user only (0700, the
 * files 0600). A folder or database left readable by an older hub or a loose umask is tightened on every start.
 */
export function securePrivateDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const file = join(dataDir, DB_FILE);
  // created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** Opens (creating if needed) `<dataDir>/steward.db` with WAL and foreign keys, and brings its schema up to date. */
export function openDatabase(dataDir: string): Db {
  securePrivateDataDir(dataDir);
  const file = join(dataDir, DB_FILE);
  let db: Db;
  try {
    db = new Database(file);
  } catch (e) {
    throw new StewardError('INTERNAL', `cannot open the database ${file}: ${(e as Error).message}`);
  }
  db.pragma('journal_mode = WAL');
  // WAL makes NORMAL durable against application crashes; only a power cut may lose the last commits
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 2000');
  migrate(db, file);
  return db;
}

function migrate(db: Db, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StewardError('INTERNAL', `${file} has schema version ${current}, newer than this hub (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
