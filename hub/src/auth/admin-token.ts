import { createHash, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/database.ts';
import type { AuditLog } from './audit-log.ts';
import { randomSecret } from './passwords.ts';
import { ensureSecuritySchema } from './schema.ts';
import { revokeAllSessions } from './sessions.ts';

export const ADMIN_TOKEN_FILE = 'admin-token';
const PREFIX = 'stw_';

// SHA-256 rather than scrypt: the token is 256 random bits, so there is nothing to brute-force, and every
// mutating request checks it
const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export interface AdminTokenStatus {
  /** `<data-dir>/admin-token`, mode 0600, for scripts */
  file: string;
  /** the token, only when it was created now: the CLI prints it once */
  created?: string;
}

/**
 * The owner's API token: made on first start, written to `<data-dir>/admin-token` (0600); the database keeps only
 * its hash. Lost token: `rotate()` makes a new one (the old one stops working at once).
 */
export class AdminTokens {
  private hash: Buffer | undefined;
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly audit?: AuditLog,
  ) {
    ensureSecuritySchema(db);
    this.q = {
      get: db.prepare(`SELECT token_hash FROM admin_token WHERE id = 1`),
      put: db.prepare(
        `INSERT INTO admin_token (id, token_hash, created_at) VALUES (1, ?, ?)
         ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
      ),
    };
    const row = this.q.get.get() as { token_hash: string } | undefined;
    this.hash = row ? Buffer.from(row.token_hash, 'hex') : undefined;
  }

  get file(): string {
    return join(this.dataDir, ADMIN_TOKEN_FILE);
  }

  /** Creates the token when none exists (first start). */
  ensure(): AdminTokenStatus {
    if (this.hash) return { file: this.file };
    const token = this.write();
    this.audit?.record({ kind: 'admin_token.created', actor: 'system' });
    return { file: this.file, created: token };
  }

  /** A new token replaces the old one; returned once. Every browser signed in with the old one is signed out. */
  rotate(actor = 'admin'): string {
    const token = this.write();
    revokeAllSessions(this.db);
    this.audit?.record({ kind: 'admin_token.rotated', actor });
    return token;
  }

  verify(candidate: string): boolean {
    if (!this.hash || !candidate.startsWith(PREFIX) || candidate.length > 200) return false;
    return timingSafeEqual(digest(candidate), this.hash);
  }

  private write(): string {
    const token = `${PREFIX}${randomSecret(32)}`;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
    const hash = digest(token);
    this.q.put.run(hash.toString('hex'), Date.now());
    this.hash = hash;
    return token;
  }
}
